using Marten;
using NodaTime;
using Salex.Ledger.Api.Features.Webhooks;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Records published changes in the feed and queues one delivery per subscriber who wants each, in one transaction
/// per batch: the feed entries and the deliveries (Wolverine's outbox, durable local queue <c>webhooks</c>) commit
/// together. Each writer's transaction publishes its changes as one <see cref="RightsChangesMade"/>; Wolverine gathers
/// the messages waiting on the durable queue <c>rights-changes</c> into batches (about
/// <see cref="WebhookPolicies.FeedBatchSize"/> changes, in their order of arrival, <see cref="FeedBatcher"/>) and runs
/// the batches one at a time, so a large bank file's thousands of changes cost one lock and one commit per batch
/// instead of per change. A change
/// already in the feed (the same id published again: a sweep run twice on a day, a message redelivered after a crash,
/// or twice in one batch) is left alone, so each change is numbered and delivered once.
/// </summary>
public static class RecordRightsChangeHandler
{
    /// <summary>The advisory lock that makes writers of the feed take turns (any number, on any node).</summary>
    public const long FeedLock = 0x5A1E_F00D;

    /// <summary>A database that cannot be reached must not cost a change. First retried in place, which keeps the
    /// queue's order (the next batch waits); then scheduled again for as long as it takes.</summary>
    public static void Configure(HandlerChain chain) =>
        chain
            .OnException<Npgsql.NpgsqlException>()
            .RetryWithCooldown(
                TimeSpan.FromMilliseconds(100),
                TimeSpan.FromMilliseconds(500),
                TimeSpan.FromSeconds(2),
                TimeSpan.FromSeconds(5)
            )
            .Then.ScheduleRetryIndefinitely(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

    public static Task Handle(
        RightsChangesMade[] made,
        IDocumentSession session,
        IMessageBus bus,
        IClock clock,
        CancellationToken ct
    ) => RecordAsync([.. made.SelectMany(m => m.Changes)], session, bus, clock, ct);

    /// <summary>A single change, as published before <see cref="RightsChangesMade"/> (still stored when a node is
    /// upgraded).</summary>
    public static Task Handle(
        RightsChanged change,
        IDocumentSession session,
        IMessageBus bus,
        IClock clock,
        CancellationToken ct
    ) => RecordAsync([change], session, bus, clock, ct);

    private static async Task RecordAsync(
        RightsChanged[] changes,
        IDocumentSession session,
        IMessageBus bus,
        IClock clock,
        CancellationToken ct
    )
    {
        // Numbers taken under the lock are committed in their order: a reader that saw number N never later finds a
        // change numbered below N (a sequence alone would let a later number commit first).
        await session.BeginTransactionAsync(ct);
        await using (var lockCommand = session.Connection!.CreateCommand())
        {
            lockCommand.CommandText = $"select pg_advisory_xact_lock({FeedLock})";
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        var ids = changes.Select(c => c.Id).Distinct().ToArray();
        var recorded = (
            await session.Query<RightsChangeEntry>().Where(e => e.Id.IsOneOf(ids)).Select(e => e.Id).ToListAsync(ct)
        ).ToHashSet();
        var fresh = changes.Where(c => recorded.Add(c.Id)).ToList();
        if (fresh.Count == 0)
            return;
        var last = await session
            .Query<RightsChangeEntry>()
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.Sequence)
            .FirstOrDefaultAsync(ct);
        var subscriptions = await session.Query<WebhookSubscription>().ToListAsync(ct);
        var since = clock.GetCurrentInstant().ToDateTimeOffset();
        foreach (var change in fresh)
        {
            session.Insert(new RightsChangeEntry(change.Id, ++last, change));
            foreach (var subscription in subscriptions.Where(s => s.Wants(change)))
                await bus.PublishAsync(new DeliverRightsChange(subscription.Id, change.Id, since));
        }
        await session.SaveChangesAsync(ct);
    }
}
