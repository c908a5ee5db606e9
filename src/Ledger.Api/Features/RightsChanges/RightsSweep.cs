using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Publishes what the passage of time changed (<see cref="Ledger.Rights.RightsChanges.OnDay"/>) for every day since
/// the last sweep, today included: arrears that began because a due date passed unpaid, lapses, ends of return
/// windows, children who turned twelve, first days of coverage. No event causes them, so nothing else would tell.
/// The ids depend on the account and the day only, so a day swept twice is recorded in the feed once.
/// </summary>
public static class RightsSweep
{
    /// <summary>At most this many missed days are swept at once (a longer outage: the oldest are skipped, and the
    /// report says from which day it swept).</summary>
    public const int MaxDays = 62;

    /// <summary>Changes published together in one message.</summary>
    private const int MessageSize = Webhooks.WebhookPolicies.FeedBatchSize;

    public static async Task<RightsSweepReport> RunAsync(
        IDocumentStore store,
        IMessageBus bus,
        IClock clock,
        Regime regime,
        CancellationToken ct
    )
    {
        var today = ElSalvador.Today(clock);
        var now = clock.GetCurrentInstant();
        await using var session = store.LightweightSession();
        var mark = await session.LoadAsync<RightsSweepMark>(RightsSweepMark.TheMark, ct);
        var first = mark is null ? today : mark.LastDay.PlusDays(1);
        if (first > today)
            first = today; // swept already today: again (same ids, nothing recorded twice)
        if (Period.Between(first, today, PeriodUnits.Days).Days >= MaxDays)
            first = today.PlusDays(-(MaxDays - 1));

        var examined = 0;
        var published = 0;
        // In messages of up to a feed batch's worth of changes, in the order found.
        var waiting = new List<RightsChanged>(MessageSize);
        await foreach (var account in session.Query<Account>().ToAsyncEnumerable(ct))
        {
            examined++;
            for (var day = first; day <= today; day = day.PlusDays(1))
                foreach (var change in Ledger.Rights.RightsChanges.OnDay(account, day, regime))
                {
                    waiting.Add(RightsChanged.Of(change, now));
                    published++;
                }
            if (waiting.Count < MessageSize)
                continue;
            await RightsChangeOutbox.PublishAsync(bus, waiting);
            waiting.Clear();
        }
        await RightsChangeOutbox.PublishAsync(bus, waiting);
        session.Store(new RightsSweepMark(RightsSweepMark.TheMark, today));
        await session.SaveChangesAsync(ct);
        return new RightsSweepReport(Dates.Format(first), Dates.Format(today), examined, published);
    }
}
