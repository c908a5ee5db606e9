using Marten;
using NodaTime;
using Salex.Ledger.Api.Features.Webhooks;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Records a published change in the feed and queues one delivery per subscriber who wants it, in one transaction:
/// the feed entry and the deliveries (Wolverine's outbox, durable local queue <c>webhooks</c>) commit together. A
/// change already in the feed (the same id published again: a sweep run twice on a day, a message redelivered after a
/// crash) is left alone, so each change is numbered and delivered once.
/// </summary>
public static class RecordRightsChangeHandler
{
    /// <summary>The advisory lock that makes writers of the feed take turns (any number, on any node).</summary>
    public const long FeedLock = 0x5A1E_F00D;

    /// <summary>A database that cannot be reached must not cost a change: retried later, for as long as it takes
    /// (a scheduled retry leaves the queue free for the others).</summary>
    public static void Configure(HandlerChain chain) =>
        chain
            .OnException<Npgsql.NpgsqlException>()
            .ScheduleRetryIndefinitely(
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(5),
                TimeSpan.FromSeconds(30),
                TimeSpan.FromMinutes(1)
            );

    public static async Task Handle(
        RightsChanged change,
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
        if (await session.LoadAsync<RightsChangeEntry>(change.Id, ct) is not null)
            return;
        var last = await session
            .Query<RightsChangeEntry>()
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.Sequence)
            .FirstOrDefaultAsync(ct);
        session.Insert(new RightsChangeEntry(change.Id, last + 1, change));

        var since = clock.GetCurrentInstant().ToDateTimeOffset();
        var subscriptions = await session.Query<WebhookSubscription>().ToListAsync(ct);
        foreach (var subscription in subscriptions.Where(s => s.Wants(change)))
            await bus.PublishAsync(new DeliverRightsChange(subscription.Id, change.Id, since));
        await session.SaveChangesAsync(ct);
    }
}
