using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;

namespace Salex.Ledger.Api.Features.Lapsing;

/// <summary>
/// Appends <see cref="Lapsed"/> to every account whose episode ended by the rules (non-payment, end of a
/// return window) and whose end is not recorded yet. Idempotent: a recorded end is never recorded again,
/// and each append checks the stream version it decided on.
/// </summary>
public static class LapseSweep
{
    private const int BatchSize = 500;

    public static async Task<SweepReport> RunAsync(
        IDocumentStore store,
        LocalDate today,
        Regime regime,
        CancellationToken ct
    )
    {
        var due = new List<(Account Account, Lapsed Lapsed)>();
        var examined = 0;
        await using (var query = store.QuerySession())
        {
            await foreach (var account in query.Query<Account>().Where(a => a.EpisodeOpen).ToAsyncEnumerable(ct))
            {
                examined++;
                if (EpisodeChanges.Sweep(account, today, regime) is { } lapsed)
                    due.Add((account, lapsed));
            }
        }

        var recorded = new List<string>();
        var conflicts = 0;
        foreach (var batch in due.Chunk(BatchSize))
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "lapse-sweep";
            session.SetHeader("recordedBy", "lapse-sweep");
            session.SetHeader("channel", "system");
            foreach (var (account, lapsed) in batch)
                session.Events.Append(account.Id, account.Version + 1, lapsed);
            try
            {
                await session.SaveChangesAsync(ct);
                recorded.AddRange(batch.Select(b => b.Account.Id));
            }
            catch (Exception e) when (Conflicts.IsLostRace(e))
            {
                // An account changed since it was read (a payment, a return): the next run decides again on
                // its new state. Count it rather than guess.
                conflicts += batch.Length;
            }
        }
        return new SweepReport(Dates.Format(today), examined, recorded.Count, recorded, conflicts);
    }
}
