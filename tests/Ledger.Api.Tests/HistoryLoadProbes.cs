using JasperFx.Events;
using Marten;
using NodaTime;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Tests;

/// <summary>What the history load's tests build and look at: a small history, and the schema and streams afterwards.</summary>
internal static class HistoryLoadProbes
{
    private static readonly string Schema = Salex.Projections.LedgerStore.Schema;

    /// <summary>How long a load that meets a lock may take: a part waits at most the lock timeout, then is refused.</summary>
    public static readonly TimeSpan Patience = ChainedBulkLoad.PartLockTimeout + TimeSpan.FromSeconds(30);

    /// <summary>A load cancelled once it has taken longer than <see cref="Patience"/> (its statements cancelled, its
    /// locks released): a load that waits for ever fails its test instead of hanging the run and every test after it.
    /// </summary>
    public static async Task<T> WithinPatience<T>(Func<CancellationToken, Task<T>> load, CancellationToken ct = default)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(Patience);
        return await load(patience.Token).WaitAsync(Patience + TimeSpan.FromSeconds(15), CancellationToken.None);
    }

    /// <summary>An account of two events (an enrolment and a credit under its bank transaction): with parts of two
    /// events, each a part of its own.</summary>
    public static StreamAction History(IDocumentStore store, string number, string? dui = null, string? reference = null,
        string name = "Ana María López", decimal credit = 4.08m) =>
        StreamAction.Start((Marten.Events.EventGraph)((StoreOptions)store.Options).Events, number,
        [
            new Enrolled(number, dui ?? $"0{number[1..]}-3", name, new LocalDate(1985, 6, 2), "US", null,
                new LocalDate(2018, 1, 10), new YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)),
            new CreditRecorded(new PaymentSource(new LocalDate(2018, 2, 1), "AGRICOLA", reference ?? $"B-{number}", "ONLINE"),
                credit),
        ]);

    /// <summary>The foreign keys of the events and the hashes, as PostgreSQL defines them.</summary>
    public static async Task<IReadOnlyList<string>> ForeignKeysAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.AdvancedSql.QueryAsync<string>(
            $"""
            select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
            where contype = 'f' and conrelid in ('{Schema}.mt_events'::regclass, '{Schema}.{EventChainSchema.HashesTable}'::regclass)
            order by 1
            """,
            CancellationToken.None);
    }

    public static async Task<bool> TriggerEnabledAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var enabled = await session.AdvancedSql.QueryAsync<bool>(
            $"select tgenabled <> 'D' from pg_trigger where tgname = '{EventChainSchema.TriggerName}' and tgrelid = '{Schema}.mt_events'::regclass",
            CancellationToken.None);
        return enabled.Single();
    }

    /// <summary>Which of <paramref name="numbers"/> have a stream.</summary>
    public static async Task<HashSet<string>> LoadedAsync(IDocumentStore store, IReadOnlyList<string> numbers)
    {
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"select id from {Schema}.mt_streams where id = any('{{{string.Join(",", numbers)}}}'::varchar[])",
            CancellationToken.None);
        return [.. rows];
    }
}
