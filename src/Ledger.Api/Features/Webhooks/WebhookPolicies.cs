using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.ErrorHandling;

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

    public static void ConfigureRightsChanges(this WolverineOptions opts, WebhookSettings settings)
    {
        opts.PublishMessage<RightsChanged>().ToLocalQueue(FeedQueue);
        opts.LocalQueue(FeedQueue).UseDurableInbox().Sequential();
        opts.PublishMessage<DeliverRightsChange>().ToLocalQueue(DeliveryQueue);
        opts.LocalQueue(DeliveryQueue).UseDurableInbox().MaximumParallelMessages(4);
        opts.OnException<WebhookGaveUp>().MoveToErrorQueue();
        opts.OnException<WebhookDeliveryFailed>().ScheduleRetryIndefinitely(settings.Delays).WithBoundedJitter(0.2);
    }
}
