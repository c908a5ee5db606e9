using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// Recording payments through the ledger's own command path (the group commit, <see cref="PaymentWriter"/>:
/// concurrent payments batched, receipts and accounts loaded, <see cref="Contributions.Payments.Decide"/>, append,
/// inline projection, receipts, one commit per batch, a lost race retried) by concurrent workers on distinct streams, one event per payment; against raw batched INSERTs of
/// rows of the same size (the same event JSON and metadata) into a plain table by the same number of workers.
/// </summary>
public static class PaymentsWorkload
{
    /// <summary>One payment of exactly one period: its account, period and money.</summary>
    public sealed record Planned(string AffiliationNumber, YearMonth Period, decimal Amount, string Reference);

    public sealed record Result(Throughput Ledger, Throughput RawBatched, Throughput RawPerRow, Throughput RawGrouped, long EventsAppended, int Payments, int Workers, int Batch,
        TimeSpan LedgerCpu, TimeSpan LedgerProcessCpu, TimeSpan RawGroupedCpu);

    /// <summary>
    /// Open episodes, paid up to date and without credit: each can pay its next periods on <see cref="Population.Today"/>
    /// until the 12-month advance limit. Up to ten payments per account, spread over the workers.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Planned>> Plan(IReadOnlyList<Person> people, int payments, int workers, Regime regime, int seed,
        IReadOnlySet<string>? exclude = null)
    {
        var month = Periods.PeriodOf(Population.Today);
        var candidates = people
            .Where(p => exclude is null || !exclude.Contains(p.AffiliationNumber))
            .Where(p => p.Account.EpisodeOpen && p.Account.CurrentEpisode.CoveredUntil is null && p.Account.Credit == 0m
                        && p.Account.PaidThrough is { } through && through >= month.Previous() && through <= month)
            .OrderBy(_ => 0).ToList();
        var rng = new Random(seed);
        candidates = candidates.OrderBy(_ => rng.Next()).ToList();
        const int perAccount = 10;
        var accounts = candidates.Take((payments + perAccount - 1) / perAccount).ToList();
        if (accounts.Count * perAccount < payments)
            throw new InvalidOperationException($"The population has {candidates.Count} accounts able to pay ahead; {payments} payments need {payments / perAccount}.");

        var shares = Enumerable.Range(0, workers).Select(_ => new List<Planned>()).ToArray();
        var planned = 0;
        for (var round = 0; round < perAccount && planned < payments; round++)
            for (var a = 0; a < accounts.Count && planned < payments; a++, planned++)
            {
                var account = accounts[a].Account;
                var period = account.PaidThrough!.Value.PlusMonths(round + 1);
                var amount = PaymentAllocator.PeriodPaidOn(period, Population.Today, regime.Rates, regime.Calendar).Total;
                // Each account stays with one worker: writers never race on a stream.
                shares[a % workers].Add(new Planned(account.Id, period, amount, $"BENCH-{account.Id}-{round:D2}"));
            }
        return shares;
    }

    /// <summary>
    /// The ledger's payments, timed after <paramref name="warmUp"/> (other accounts' payments through the same path,
    /// not counted) has let the JIT tier the path up, as the lookups' warm-up does: without it the first seconds of a
    /// process that had never paid were timed (the JIT's own thread took 13 % of the machine's samples then).
    /// </summary>
    public static async Task<Result> RunAsync(PaymentWriter writer, NpgsqlDataSource db, Regime regime, IReadOnlyList<IReadOnlyList<Planned>> shares,
        IReadOnlyList<IReadOnlyList<Planned>> warmUp, int batch)
    {
        var payments = shares.Sum(s => s.Count);
        async Task Pay(Planned p)
        {
            var command = new RecordPayment(Population.Today, p.Amount, "AGRICOLA", p.Reference, Channel.Online);
            var outcome = await writer.RecordAsync(new RecordAccountPayment(p.AffiliationNumber, command),
                new Stamps("bench-finance", "finance", Guid.NewGuid().ToString()), default);
            if (!outcome.Created)
                throw new InvalidOperationException($"Payment {p.Reference} was not recorded: " +
                    string.Join(" ", outcome.Refusals.Select(r => r.Reason)));
        }
        await Measure.AllAsync(warmUp, (_, p) => Pay(p));
        var ledgerCpu = MachineCpu.Busy();
        var processCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var (ledger, before) = await CountingEventsAsync(db, shares, Pay);
        ledgerCpu = MachineCpu.Busy() - ledgerCpu;
        processCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - processCpu;
        var appended = ledger.Operations;

        // The same rows, shaped like the events the ledger just wrote, by the same number of workers.
        var sample = await SampleRowAsync(db, before);
        await Raw.CreateLikeAsync(db, "payment_events", "mt_events", "seq_id");
        await Raw.ExecAsync(db, $"create sequence if not exists {Raw.Schema}.payment_seq; alter table {Raw.Schema}.payment_events alter column seq_id set default nextval('{Raw.Schema}.payment_seq')");
        await Raw.CheckpointAsync(db);
        var batched = await RawInsertAsync(db, shares, batch, sample, regime);
        await Raw.ExecAsync(db, $"truncate {Raw.Schema}.payment_events");
        await Raw.CheckpointAsync(db);
        var perRow = await RawInsertAsync(db, shares, 1, sample, regime);
        await Raw.ExecAsync(db, $"truncate {Raw.Schema}.payment_events");
        await Raw.CheckpointAsync(db);
        var groupedCpu = MachineCpu.Busy();
        var grouped = await RawGroupCommitAsync(db, shares, batch, sample, regime);
        groupedCpu = MachineCpu.Busy() - groupedCpu;
        return new Result(ledger, batched, perRow, grouped, appended, payments, shares.Count, batch, ledgerCpu, processCpu, groupedCpu);
    }

    /// <summary>
    /// What a payment costs the machine (every process: the ledger's and PostgreSQL's, /proc/stat) against a grouped raw
    /// row, and the rate that cost allows with every core busy.
    /// </summary>
    public static string CpuBound(Result pay)
    {
        if (pay.LedgerCpu <= TimeSpan.Zero || pay.RawGroupedCpu <= TimeSpan.Zero || pay.EventsAppended == 0) return "";
        var cores = Environment.ProcessorCount;
        var perPayment = pay.LedgerCpu.TotalMilliseconds / pay.EventsAppended;
        var perRow = pay.RawGroupedCpu.TotalMilliseconds / pay.Payments;
        var most = cores * 1000 / perPayment;
        return $"The machine's CPU (every process, /proc/stat): the ledger's payments {pay.LedgerCpu.TotalSeconds:N1} CPU-s in {pay.Ledger.Elapsed.TotalSeconds:N1} s " +
               $"({pay.LedgerCpu / pay.Ledger.Elapsed:N2} of {cores} cores busy), {perPayment:N2} CPU-ms a payment (the ledger's .NET process, this one, " +
               $"{pay.LedgerProcessCpu.TotalMilliseconds / pay.EventsAppended:N2}; PostgreSQL and the rest of the machine {(pay.LedgerCpu - pay.LedgerProcessCpu).TotalMilliseconds / pay.EventsAppended:N2}); the grouped raw rows {perRow:N2} CPU-ms a row " +
               $"({pay.RawGroupedCpu / pay.RawGrouped.Elapsed:N2} cores busy). With every core busy the payments could not exceed {most:N0} a second, " +
               $"{most / pay.RawBatched.PerSecond:N2} of the batched INSERTs, with their work as it is.";
    }

    /// <summary>
    /// The same kind of payments through the API process as deployed: <c>POST /api/insured/{n}/payments</c> with a
    /// finance key, each client waiting for its 201 before its next payment. Beyond the in-process path this is
    /// Kestrel, authentication, the JSON body and Wolverine's durable outbox (the rights-change message of each batch).
    /// </summary>
    public static async Task<Throughput> OverHttpAsync(HttpClient http, ApiProcess api, NpgsqlDataSource db, IReadOnlyList<IReadOnlyList<Planned>> shares)
    {
        var paidOn = Dates.Format(Population.Today);
        var (result, _) = await CountingEventsAsync(db, shares, async p =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseAddress, $"api/insured/{p.AffiliationNumber}/payments"));
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, ApiProcess.FinanceKey);
            request.Content = JsonContent.Create(new { paidOn, amount = p.Amount, bankCode = "AGRICOLA", reference = p.Reference, channel = "ONLINE" });
            using var response = await http.SendAsync(request);
            if (response.StatusCode != System.Net.HttpStatusCode.Created)
                throw new InvalidOperationException($"Payment {p.Reference} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        });
        return result;
    }

    /// <summary>Each worker's payments timed after a checkpoint; the operations counted are the events appended meanwhile,
    /// after the last sequence number before (returned too).</summary>
    private static async Task<(Throughput Result, long Before)> CountingEventsAsync(NpgsqlDataSource db,
        IReadOnlyList<IReadOnlyList<Planned>> shares, Func<Planned, Task> pay)
    {
        var before = await Raw.ScalarAsync(db, $"select coalesce(max(seq_id), 0) from {LedgerStore.Schema}.mt_events");
        await Raw.CheckpointAsync(db);
        var result = await Measure.AllAsync(shares, (_, p) => pay(p));
        var appended = await Raw.ScalarAsync(db, $"select count(*) from {LedgerStore.Schema}.mt_events where seq_id > {before}");
        return (result with { Operations = appended }, before);
    }

    /// <summary>The headers and user name of one event the ledger wrote, so the raw rows carry the same metadata.</summary>
    private static async Task<(string Headers, string UserName, string Type, string DotNet)> SampleRowAsync(NpgsqlDataSource db, long after)
    {
        await using var cmd = db.CreateCommand($"select headers::text, user_name, type, mt_dotnet_type from {LedgerStore.Schema}.mt_events where seq_id > {after} order by seq_id limit 1");
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException("The ledger wrote no event.");
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
    }

    private static async Task<Throughput> RawInsertAsync(NpgsqlDataSource db, IReadOnlyList<IReadOnlyList<Planned>> shares, int batch,
        (string Headers, string UserName, string Type, string DotNet) sample, Regime regime)
    {
        var chunks = shares.Select(s => (IReadOnlyList<Planned[]>)s.Chunk(batch).ToList()).ToList();
        var result = await Measure.AllAsync(chunks, async (_, rows) =>
        {
            await using var conn = await db.OpenConnectionAsync();
            await using var b = new NpgsqlBatch(conn);
            foreach (var p in rows)
                b.BatchCommands.Add(RawInsert(p, sample, regime));
            // A batch is one round trip and one implicit transaction.
            await b.ExecuteNonQueryAsync();
        });
        var rows = await Raw.ScalarAsync(db, $"select count(*) from {Raw.Schema}.payment_events");
        return result with { Operations = rows };
    }

    /// <summary>
    /// The physical bound of the ledger's shape: the same workers, each waiting for its own row's commit before its
    /// next row (as each payment is answered only after its commit), with one committer writing every row waiting at
    /// that moment (at most <paramref name="batch"/>) in one batch and one transaction. With 8 writers a commit can
    /// never carry more than 8 rows, whatever the code around it.
    /// </summary>
    private static async Task<Throughput> RawGroupCommitAsync(NpgsqlDataSource db, IReadOnlyList<IReadOnlyList<Planned>> shares, int batch,
        (string Headers, string UserName, string Type, string DotNet) sample, Regime regime)
    {
        var queue = System.Threading.Channels.Channel.CreateUnbounded<(Planned Payment, TaskCompletionSource Committed)>();
        var committer = Task.Run(async () =>
        {
            await using var conn = await db.OpenConnectionAsync();
            var waiting = new List<(Planned Payment, TaskCompletionSource Committed)>(batch);
            while (await queue.Reader.WaitToReadAsync())
            {
                waiting.Clear();
                while (waiting.Count < batch && queue.Reader.TryRead(out var item)) waiting.Add(item);
                await using var b = new NpgsqlBatch(conn);
                foreach (var (p, _) in waiting) b.BatchCommands.Add(RawInsert(p, sample, regime));
                await b.ExecuteNonQueryAsync();
                foreach (var (_, committed) in waiting) committed.SetResult();
            }
        });
        var result = await Measure.AllAsync(shares, async (_, p) =>
        {
            var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await queue.Writer.WriteAsync((p, committed));
            await committed.Task;
        });
        queue.Writer.Complete();
        await committer;
        var rows = await Raw.ScalarAsync(db, $"select count(*) from {Raw.Schema}.payment_events");
        return result with { Operations = rows };
    }

    private const string Insert = $"""
        insert into {Raw.Schema}.payment_events (id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived,
            correlation_id, causation_id, headers, user_name)
        values ($1, $2, $3, $4, $5, now(), '*DEFAULT*', $6, false, $7, null, $8, $9)
        """;

    /// <summary>The row of the event the ledger records for this payment: same JSON, built and serialised here too.</summary>
    private static NpgsqlBatchCommand RawInsert(Planned p, (string Headers, string UserName, string Type, string DotNet) sample, Regime regime)
    {
        var e = new ContributionPaid(new PaymentSource(Population.Today, "AGRICOLA", p.Reference, "ONLINE"),
            [PaymentAllocator.PeriodPaidOn(p.Period, Population.Today, regime.Rates, regime.Calendar)]);
        var cmd = new NpgsqlBatchCommand(Insert);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(), NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = p.AffiliationNumber, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = 1L, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(e, Raw.Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sample.Type, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sample.DotNet, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString(), NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sample.Headers, NpgsqlDbType = NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sample.UserName, NpgsqlDbType = NpgsqlDbType.Varchar });
        return cmd;
    }
}
