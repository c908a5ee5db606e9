using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Salex.Ledger;

namespace Salex.Projections.Reserve;

/// <summary>
/// Async projection of the emergency reserve: every payment counts in the year it was paid, whenever it is
/// recorded (a late bank file updates the right year). It keeps one row per (year, insured) with that insured's
/// base contributions of the year, in <see cref="ReserveSchema.Table"/>: a page of events adds its own pairs in one
/// set-based statement, so what a page writes grows with the page, not with the population (a year document that
/// listed every insured was rewritten whole for every page; docs/benchmarks.md). A year's figures are the sum and
/// the count of its rows, read in one query. The rows are written in the daemon's transaction with its progress
/// mark, so a restart neither skips nor double-counts.
/// </summary>
public sealed class ReserveYearProjection : IProjection
{
    /// <summary>The daemon's name for it (its progress row in <c>mt_event_progression</c>).</summary>
    public const string Name = "ReserveYears";

    /// <summary>Its one shard's progress row (the one-pass rebuild sets it).</summary>
    public const string ShardName = Name + ":All";

    /// <summary>Registers the projection (async), its table, and its teardown on a rebuild.</summary>
    public static void Register(StoreOptions opts, string schema, int batchSize)
    {
        opts.Storage.Add(new ReserveSchema(opts, schema));
        var wrapper = new ProjectionWrapper<IDocumentOperations, IQuerySession>(
            new ReserveYearProjection(schema),
            ProjectionLifecycle.Async
        )
        {
            Name = Name,
        };
        // Only payments reach it: the daemon filters the other events out in its query.
        wrapper.IncludedEventTypes.AddRange([typeof(ContributionPaid), typeof(AdvancePaid)]);
        opts.Projections.Add(
            wrapper,
            ProjectionLifecycle.Async,
            o =>
            {
                o.BatchSize = batchSize;
                o.DeleteDataInTableOnTeardown($"{schema}.{ReserveSchema.Table}");
            }
        );
    }

    private readonly string _upsert;

    // The page is added only in the transaction that moved the daemon's progress mark (the progress row's version is
    // this transaction's: Marten writes the mark first in the page's own transaction). Two daemons running this
    // projection at once (two nodes in Solo mode, or a node stalled while the projection moved to another) read the same
    // page from the same mark; the later one's mark update matches no row, and Marten 9 only logs that ("affected no
    // rows ... ProgressionProgressOutOfOrderException") and commits its page anyway: the sum below would count the page
    // twice (a second engineer's attack doubled the reserve so). The later daemon writes nothing instead, and with nothing
    // written Marten does throw: its page rolls back and its agent stops (ReserveDaemonRaceTests).
    private ReserveYearProjection(string schema) =>
        _upsert = $"""
            insert into {schema}.{ReserveSchema.Table} (year, affiliation_number, base_contributions)
            select * from unnest(?::int[], ?::varchar[], ?::numeric[])
            where exists (select from {schema}.mt_event_progression as mark
                          where mark.name = '{ShardName}' and mark.xmin = pg_current_xact_id()::xid)
            on conflict (year, affiliation_number)
            do update set base_contributions = {ReserveSchema.Table}.base_contributions + excluded.base_contributions
            """;

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var page = new ReserveTally();
        foreach (var e in events)
            page.Add(e);
        if (page.Pairs.Count == 0)
            return Task.CompletedTask;
        var pairs = page.Pairs.ToArray();
        operations.QueueSqlCommand(
            _upsert,
            pairs.Select(p => p.Key.Year).ToArray(),
            pairs.Select(p => p.Key.Insured).ToArray(),
            pairs.Select(p => p.Value).ToArray()
        );
        return Task.CompletedTask;
    }

    /// <summary>Every year's figures, in year order, summed and counted by PostgreSQL.</summary>
    public static Task<IReadOnlyList<ReserveYear>> YearsAsync(IQuerySession session, CancellationToken ct) =>
        session.AdvancedSql.QueryAsync<ReserveYear>(
            "select json_build_object('year', year, 'baseContributions', sum(base_contributions), "
                + $"'insured', count(*)) from {session.DocumentStore.Options.DatabaseSchemaName}.{ReserveSchema.Table} "
                + "group by year order by year",
            ct
        );
}
