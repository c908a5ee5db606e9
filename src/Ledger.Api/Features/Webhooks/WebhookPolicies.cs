using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Transports;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>
/// Where rights changes and their deliveries run, and what a failed delivery does: the feed's recording on the
/// durable local queue <c>rights-changes</c>, deliveries on <c>webhooks</c> (durable: pending and scheduled ones are
/// stored in PostgreSQL and survive a restart); a failed delivery is scheduled again after each pause of
/// <c>Webhooks:RetryDelays</c>, the last repeated, until <see cref="WebhookGaveUp"/> sends it to the dead letters.
/// </summary>
public static class WebhookPolicies
{
    public const string FeedQueue = "rights-changes";
    public const string DeliveryQueue = "webhooks";

    /// <summary>Where the feed's batches run, one at a time so that they are recorded in the order they arrived.</summary>
    public const string FeedBatchQueue = "rights-changes-batches";

    /// <summary>About this many changes are recorded in one transaction (a message's changes are never split).</summary>
    public const int FeedBatchSize = 500;

    /// <summary>Messages (<see cref="RightsChangesMade"/>, one per writer's transaction) the feed's queue holds in
    /// memory, in order, before it leaves the rest in the database.</summary>
    public const int FeedBacklogLimit = 200_000;

    public static void ConfigureRightsChanges(this WolverineOptions opts, WebhookSettings settings)
    {
        opts.PublishMessage<RightsChangesMade>().ToLocalQueue(FeedQueue);
        // Single changes were the message before RightsChangesMade: any still stored when a node is upgraded are
        // recorded on the same queue.
        opts.PublishMessage<RightsChanged>().ToLocalQueue(FeedQueue);
        // A durable local queue holding more than its buffering limit stops taking messages in memory and leaves the
        // rest in the database, to be recovered later by page: the feed would then record a person's later change
        // before an earlier one (the default limit is 1,000; when each change was a message of its own, 10,000 waited
        // during a bank file). A backlog this large means the database is away, not a bank file.
        opts.LocalQueue(FeedQueue)
            .UseDurableInbox(new BufferingLimits(FeedBacklogLimit, FeedBacklogLimit / 2))
            .Sequential();
        // The changes waiting are gathered in their order of arrival (a sequential queue posts them one by one) and
        // the batches run on a sequential queue of their own: order is kept within a batch and between batches. A
        // message is marked handled in the durable inbox only once its batch has committed.
        opts.BatchMessagesOf<RightsChangesMade>(batching =>
            {
                batching.BatchSize = FeedBatchSize;
                batching.TriggerTime = TimeSpan.FromMilliseconds(100);
                batching.LocalExecutionQueueName = FeedBatchQueue;
                batching.Batcher = new FeedBatcher();
            })
            .Sequential();
        opts.PublishMessage<DeliverRightsChange>().ToLocalQueue(DeliveryQueue);
        opts.LocalQueue(DeliveryQueue).UseDurableInbox().MaximumParallelMessages(4);
        opts.OnException<WebhookGaveUp>().MoveToErrorQueue();
        opts.OnException<WebhookDeliveryFailed>().ScheduleRetryIndefinitely(settings.Delays).WithBoundedJitter(0.2);
    }
}
