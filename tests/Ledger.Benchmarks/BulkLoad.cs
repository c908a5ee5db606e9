using JasperFx.Events;
using Marten;
using Npgsql;
using Salex.Projections.Payments;
using NpgsqlTypes;
using Salex.Ledger.Accounts;
using Salex.Projections.Accounts;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// Seeding a population: the migration path (ChainedBulkLoad: its binary COPY into mt_streams and mt_events, hashed) against
/// a raw binary COPY of the same rows (same columns, same JSON) into plain tables.
/// </summary>
public static class BulkLoad
{
    /// <param name="RawCpu">The machine's CPU time (every process: this one and PostgreSQL's) during the raw COPY, less
    /// the time it derived the receipts (on one core, the database waiting).</param>
    /// <param name="LedgerCpu">The machine's CPU time during the ledger's load.</param>
    public sealed record Result(long Events, int Streams, TimeSpan Marten, TimeSpan Raw, ChainedBulkLoad.Result Load, TimeSpan Verified,
        long Receipts, TimeSpan RawDeriving, TimeSpan RawCpu, TimeSpan LedgerCpu)
    {
        public double MartenPerSecond => Events / Marten.TotalSeconds;
        public double RawPerSecond => Events / Raw.TotalSeconds;
    }

    /// <summary>Persons whose stream actions are built and COPYed at a time: at 1,000,000 persons the actions of the
    /// whole population would not fit beside it in memory.</summary>
    private const int Share = 50_000;

    /// <summary>Seeds the ledger with the population; with <paramref name="measure"/>, times the raw COPY first.</summary>
    public static async Task<Result> RunAsync(DocumentStore store, NpgsqlDataSource db, IReadOnlyList<Person> people, Regime regime, bool measure)
    {
        var events = people.Sum(p => (long)p.Events.Count);

        // The raw baseline first, into tables shaped like Marten's.
        var raw = TimeSpan.Zero;
        var deriving = TimeSpan.Zero;
        var rawCpu = TimeSpan.Zero;
        if (measure)
        {
            await Raw.CreateLikeAsync(db, "mt_streams", "mt_streams", "id");
            await Raw.CreateLikeAsync(db, "mt_events", "mt_events", "seq_id");
            // The documents a history's load writes beside its events (the receipts, the DUIs' registrations), the same rows.
            await Raw.CreateLikeAsync(db, "mt_doc_paymentreceipt", "mt_doc_paymentreceipt", "id");
            await Raw.CreateLikeAsync(db, "mt_doc_duiregistration", "mt_doc_duiregistration", "id");
            var types = people.SelectMany(p => p.Events).Select(e => e.Data.GetType()).Distinct()
                .ToDictionary(t => t, t => Raw.EventTypeOf(store, t));
            await Raw.CheckpointAsync(db);
            // Both loads end with ANALYZE: without fresh statistics the planner takes the just-loaded tables for
            // empty, and the projection daemon's page query (seq_id range, ordered, limit) sorts the whole remaining
            // range for every page — a rebuild then costs O(events²). Loading is not done until the tables are analysed.
            var cpu = MachineCpu.Busy();
                raw = await Measure.TimeAsync(async () =>
            {
                deriving = await RawCopyAsync(db, people, types, regime);
                await Raw.ExecAsync(db, $"analyze {Raw.Schema}.mt_streams; analyze {Raw.Schema}.mt_events; " +
                                        $"analyze {Raw.Schema}.mt_doc_paymentreceipt; analyze {Raw.Schema}.mt_doc_duiregistration");
            });
            // The receipts are the ledger's own derivation, not a database cost: the raw side is not timed while it
            // derives them.
            rawCpu = MachineCpu.Busy() - cpu - deriving;
            raw -= deriving;
            await Raw.ExecAsync(db, $"drop table {Raw.Schema}.mt_events; drop table {Raw.Schema}.mt_streams; " +
                                    $"drop table {Raw.Schema}.mt_doc_paymentreceipt; drop table {Raw.Schema}.mt_doc_duiregistration");
        }

        // The ledger's migration path: StreamActions carrying the same metadata, through ChainedBulkLoad (its own
        // bulk insertion with the chain trigger off, then every stream's hashes computed set-based, then ANALYZE).
        // Building the StreamActions from the same objects is inside the timing, as the raw side's rows are.
        await Raw.CheckpointAsync(db);
        var ledgerCpu = MachineCpu.Busy();
        var (load, marten) = await Measure.TimeAsync(() =>
            ChainedBulkLoad.LoadAsync(store, people.Chunk(Share).Select(share => (IReadOnlyList<StreamAction>)share.Select(p => Action(store, p)).ToList()), regime, CancellationToken.None));
        ledgerCpu = MachineCpu.Busy() - ledgerCpu;
        var verified = await FinishAsync(store, db, people);
        var receipts = await Raw.ScalarAsync(db, $"select count(*) from {Projections.LedgerStore.Schema}.mt_doc_paymentreceipt");
        return new Result(events, people.Count, marten, raw, load, verified, receipts, deriving, rawCpu, ledgerCpu);
    }

    /// <summary>
    /// What the machine's CPU allows: the ledger's load can take no less than its CPU time spread over every core, so
    /// the raw COPY's time over that is the highest ratio this load could reach on this machine with its work as it is.
    /// </summary>
    public static string CpuBound(Result bulk)
    {
        if (bulk.LedgerCpu <= TimeSpan.Zero || bulk.RawCpu <= TimeSpan.Zero) return "";
        var cores = Environment.ProcessorCount;
        var fastest = bulk.LedgerCpu.TotalSeconds / cores;
        return $"The machine's CPU (every process, /proc/stat): the raw COPY {bulk.RawCpu.TotalSeconds:N1} CPU-s in {bulk.Raw.TotalSeconds:N1} s " +
               $"({bulk.RawCpu / bulk.Raw:N2} of {cores} cores busy on average), the ledger's load {bulk.LedgerCpu.TotalSeconds:N1} CPU-s in {bulk.Marten.TotalSeconds:N1} s " +
               $"({bulk.LedgerCpu / bulk.Marten:N2} cores): {bulk.LedgerCpu / bulk.RawCpu:N2} times the raw COPY's work. With every core busy all along the load could " +
               $"take no less than {fastest:N1} s, so on this machine its ratio cannot exceed {bulk.Raw.TotalSeconds / fastest:N2} with its work as it is.";
    }

    /// <summary>
    /// After the events are in: the chain checked by the independent C# verifier (what verify-ledger does; its time
    /// is returned, not part of the load's), and what enrolment writes besides the events. Also what <c>--resume</c>
    /// runs on a ledger whose load completed in an earlier run.
    /// </summary>
    public static async Task<TimeSpan> FinishAsync(DocumentStore store, NpgsqlDataSource db, IReadOnlyList<Person> people)
    {
        var (broken, verified) = await Measure.TimeAsync(async () =>
        {
            var count = 0;
            await foreach (var stream in new ChainVerifier(store).VerifyAllAsync(CancellationToken.None))
                if (!stream.Intact) count++;
            return count;
        });
        if (broken > 0) throw new InvalidOperationException($"{broken} streams have a broken chain after the bulk load.");

        // What enrolment and payments write besides the events (the DUIs' registrations, the receipts, the affiliation
        // numbers' sequence) the load wrote with each part: checked, not timed.
        var registrations = await Raw.ScalarAsync(db, $"select count(*) from {Projections.LedgerStore.Schema}.mt_doc_duiregistration");
        if (registrations != people.Count)
            throw new InvalidOperationException($"{registrations} DUI registrations after loading {people.Count} persons.");
        return verified;
    }

    private static StreamAction Action(IDocumentStore store, Person person)
    {
        var action = StreamAction.Start((Marten.Events.EventGraph)((StoreOptions)store.Options).Events, person.AffiliationNumber, person.Events.Select(e => e.Data).ToArray());
        action.AggregateType = typeof(Account);
        for (var i = 0; i < person.Events.Count; i++)
        {
            var recorded = person.Events[i];
            var e = action.Events[i];
            e.Timestamp = recorded.RecordedAt.ToDateTimeOffset();
            e.UserName = recorded.RecordedBy;
            e.CorrelationId = CorrelationOf(person, i);
            e.Headers = HeadersOf(recorded);
        }
        return action;
    }

    public static string CorrelationOf(Person person, int index) => $"seed-{person.AffiliationNumber}-{index}";

    public static Dictionary<string, object> HeadersOf(RecordedEvent e) => new() { ["recordedBy"] = e.RecordedBy, ["channel"] = "seed" };

    /// <summary>Returns the time spent deriving the receipts, which the caller takes off the raw side's time.</summary>
    private static async Task<TimeSpan> RawCopyAsync(NpgsqlDataSource db, IReadOnlyList<Person> people,
        Dictionary<Type, (string Alias, string DotNetName)> types, Regime regime)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var streams = await conn.BeginBinaryImportAsync(
            $"copy {Raw.Schema}.mt_streams (id, type, version, is_archived) from stdin (format binary)"))
        {
            foreach (var p in people)
            {
                await streams.StartRowAsync();
                await streams.WriteAsync(p.AffiliationNumber, NpgsqlDbType.Varchar);
                await streams.WriteAsync("account", NpgsqlDbType.Varchar);
                await streams.WriteAsync((long)p.Events.Count, NpgsqlDbType.Bigint);
                await streams.WriteAsync(false, NpgsqlDbType.Boolean);
            }
            await streams.CompleteAsync();
        }

        long seq = 0;
        await using (var events = await conn.BeginBinaryImportAsync(
            $"""
            copy {Raw.Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived,
                correlation_id, causation_id, headers, user_name) from stdin (format binary)
            """))
        {
            foreach (var p in people)
            {
                for (var i = 0; i < p.Events.Count; i++)
                {
                    var e = p.Events[i];
                    var (alias, dotNet) = types[e.Data.GetType()];
                    await events.StartRowAsync();
                    await events.WriteAsync(++seq, NpgsqlDbType.Bigint);
                    await events.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await events.WriteAsync(p.AffiliationNumber, NpgsqlDbType.Varchar);
                    await events.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                    await events.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e.Data, e.Data.GetType(), Raw.Json), NpgsqlDbType.Jsonb);
                    await events.WriteAsync(alias, NpgsqlDbType.Varchar);
                    await events.WriteAsync(e.RecordedAt.ToDateTimeOffset(), NpgsqlDbType.TimestampTz);
                    await events.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar);
                    await events.WriteAsync(dotNet, NpgsqlDbType.Varchar);
                    await events.WriteAsync(false, NpgsqlDbType.Boolean);
                    await events.WriteAsync(CorrelationOf(p, i), NpgsqlDbType.Varchar);
                    await events.WriteNullAsync();
                    await events.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(HeadersOf(e), Raw.Json), NpgsqlDbType.Jsonb);
                    await events.WriteAsync(e.RecordedBy, NpgsqlDbType.Varchar);
                }
            }
            await events.CompleteAsync();
        }

        var deriving = new System.Diagnostics.Stopwatch();
        await using (var receipts = await conn.BeginBinaryImportAsync(
            $"copy {Raw.Schema}.mt_doc_paymentreceipt (id, data, mt_version, mt_dotnet_type, bank, day) from stdin (format binary)"))
        {
            foreach (var chunk in people.Chunk(5_000))
            {
                deriving.Start();
                var derived = chunk.SelectMany(p => HistoryReceipts.Of(p.AffiliationNumber, p.Events.Select(e => e.Data), regime)).ToList();
                deriving.Stop();
                foreach (var r in derived)
                {
                    await receipts.StartRowAsync();
                    await receipts.WriteAsync(r.Id, NpgsqlDbType.Varchar);
                    await receipts.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(r, Raw.Json), NpgsqlDbType.Jsonb);
                    await receipts.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await receipts.WriteAsync(typeof(PaymentReceipt).FullName!, NpgsqlDbType.Varchar);
                    await receipts.WriteAsync(r.Bank, NpgsqlDbType.Varchar);
                    await receipts.WriteAsync(r.Day, NpgsqlDbType.Varchar);
                }
            }
            await receipts.CompleteAsync();
        }
        await using (var registrations = await conn.BeginBinaryImportAsync(
            $"copy {Raw.Schema}.mt_doc_duiregistration (id, data, mt_version, mt_dotnet_type) from stdin (format binary)"))
        {
            foreach (var p in people)
            {
                var registration = new DuiRegistration(p.Account.Dui, p.AffiliationNumber);
                await registrations.StartRowAsync();
                await registrations.WriteAsync(registration.Id, NpgsqlDbType.Varchar);
                await registrations.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(registration, Raw.Json), NpgsqlDbType.Jsonb);
                await registrations.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await registrations.WriteAsync(typeof(DuiRegistration).FullName!, NpgsqlDbType.Varchar);
            }
            await registrations.CompleteAsync();
        }
        await tx.CommitAsync();
        return deriving.Elapsed;
    }
}
