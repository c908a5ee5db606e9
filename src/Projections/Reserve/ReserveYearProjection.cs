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
    private readonly string _pageIsOurs;

    private ReserveYearProjection(string schema)
    {
        _upsert = $"""
            insert into {schema}.{ReserveSchema.Table} (year, affiliation_number, base_contributions)
            select * from unnest(?::int[], ?::varchar[], ?::numeric[])
            on conflict (year, affiliation_number)
            do update set base_contributions = {ReserveSchema.Table}.base_contributions + excluded.base_contributions
            """;
        // A page is added only in the transaction that moved the daemon's progress mark: Marten writes the mark first,
        // in the page's own transaction, so the progress row's version is then this transaction's. Two daemons running
        // this projection at once (two Development nodes, each Solo; a node stalled while the leader gave the projection
        // to another) read the same page from the same mark, and the later one's mark update matches no row. Marten 9.62
        // only logs that and commits the page anyway: the sums above would count it twice (a second engineer doubled the
        // reserve so). Refused here instead, as a serialization failure: a transient error, after which Wolverine
        // restarts the agent from the stored mark. Marten's own error for it (ProgressionProgressOutOfOrderException)
        // makes Wolverine leave the agent stopped for good, and after a stall the stalled node took the projection back
        // and then stopped it: the reserve froze (a second attack; ReserveDaemonRaceTests).
        _pageIsOurs = $"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM {schema}.mt_event_progression AS mark
                             WHERE mark.name = '{ShardName}' AND mark.xmin = pg_current_xact_id()::xid) THEN
                RAISE EXCEPTION 'Another daemon added this page of the reserve: its progress mark moved first'
                  USING ERRCODE = 'serialization_failure';
              END IF;
            END $$
            """;
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var page = new ReserveTally();
        foreach (var e in events)
            page.Add(e);
        if (page.Pairs.Count == 0)
            return Task.CompletedTask;
        var pairs = page.Pairs.ToArray();
        operations.QueueOperation(new PageIsOurs(_pageIsOurs));
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

    /// <summary>The check that the page is this daemon's, as a statement of the page's batch: written as an operation
    /// because <c>QueueSqlCommand</c> refuses any ';', which a PL/pgSQL block needs.</summary>
    private sealed class PageIsOurs(string sql)
        : Marten.Internal.Operations.IStorageOperation,
            Weasel.Storage.NoDataReturnedCall
    {
        // As Marten's own SQL operations: no document table to make sure of.
        public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

        public void ConfigureCommand(
            Weasel.Postgresql.ICommandBuilder builder,
            Weasel.Storage.IStorageSession session
        ) => builder.Append(sql);

        public Task PostprocessAsync(
            System.Data.Common.DbDataReader reader,
            IList<Exception> exceptions,
            CancellationToken token
        ) => Task.CompletedTask;

        public Weasel.Core.OperationRole Role() => Weasel.Core.OperationRole.Other;
    }
}
