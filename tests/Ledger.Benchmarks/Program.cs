using System.Diagnostics;
using System.Text;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Salex.Ledger;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Benchmarks;
using Salex.Projections;
using static Salex.Ledger.Benchmarks.Report;

// The cold-start floor: this program started only to answer one raw SELECT (see ApiProcess.ProbeAsync).
if (args is ["--probe", var probeId])
{
    await using var probe = new NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_BENCH_CONNECTION"));
    await probe.OpenAsync();
    await using var select = new NpgsqlCommand($"select data from {LedgerStore.Schema}.mt_doc_account where id = $1", probe) { Parameters = { new() { Value = probeId } } };
    Console.WriteLine(await select.ExecuteScalarAsync() is string ? "found" : "missing");
    return 0;
}
// The HTTP floor: this program started only to serve the raw SELECT over HTTP (see HttpFloor).
if (args is ["--floor", var floorPort])
    return await HttpFloor.ServeAsync(Environment.GetEnvironmentVariable("LEDGER_BENCH_CONNECTION")!, int.Parse(floorPort));
if (args.Contains("--help")) { Console.WriteLine(Options.Usage); return 0; }

var o = Options.Parse(args);
var total = Stopwatch.StartNew();
void Say(string text) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {text}");
var mode = o.Smoke ? "smoke" : o.Only.Count > 0 || o.Skip.Count > 0 || o.Reuse || o.Resume ? "focused" : "full";
Say($"{mode} run: population {o.Population:N0}, seed {o.Seed}, database {new NpgsqlConnectionStringBuilder(o.Connection).Database}");
if (Salex.Ledger.Calendar.ElSalvador.Today(NodaTime.SystemClock.Instance) < Population.Today)
    throw new InvalidOperationException($"The machine's date is before {Population.Today}, the population's 'today'; payments would be in the future.");

var artifacts = Path.Combine(o.Repo, "artifacts");
Directory.CreateDirectory(artifacts);
var apiLog = Path.Combine(artifacts, "bench-api.log");
File.Delete(apiLog);

await using var db = new NpgsqlDataSourceBuilder(o.Connection).Build();
var machine = await Machine.ReadAsync(o.Connection);
// The machine is shared: its load beside the figures says how much noise they carry.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
var loadAtStart = LoadAverage();
var regime = RegimeSettings.From(new ConfigurationBuilder().Build());
var rows = new List<Row>();
var details = new StringBuilder();

// A clean database and the ledger's schema, as a DBA would apply it; or, for a focused run, the population as an
// earlier run seeded it (--reuse).
var reuse = o.Reuse && !o.Runs("bulk") && await Raw.HoldsPopulationAsync(db, o.Population, o.Seed);
if (!reuse && !o.Resume) await Raw.ResetAsync(db);
await using var store = DocumentStore.For(opts => LedgerStore.Configure(opts, o.Connection, createSchemaObjects: true));
await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

var (people, generated) = await Measure.TimeAsync(() => Task.FromResult(Population.Generate(o.Population, o.Seed, regime)));
var eventCount = people.Sum(p => (long)p.Events.Count);
var byBehaviour = string.Join(", ", people.GroupBy(p => p.Behaviour).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"));
Say($"population: {people.Count:N0} persons, {eventCount:N0} events in {generated.TotalSeconds:N1} s ({byBehaviour})");
details.AppendLine($"- **Population**: {people.Count:N0} insured persons (seed {o.Seed}), {eventCount:N0} events " +
                   $"({eventCount / (double)people.Count:N1} per person), histories up to {Population.Today}: {byBehaviour}.");

if (reuse) Say("population already seeded in the database (--reuse): no bulk load");
else if (o.Resume)
{
    var verified = await BulkLoad.FinishAsync(store, db, people);
    Say($"events already loaded (--resume): every chain verified intact in {verified.TotalSeconds:N1} s");
    details.AppendLine($"- **Resumed**: the events were loaded and chained by an earlier run that stopped after its bulk load; every stream's chain verified intact by the C# verifier in {verified.TotalSeconds:N1} s.");
}
else
{
    // 1. Bulk load: the population goes in with Marten's bulk insertion; raw COPY of the same rows beside it.
    var bulk = await BulkLoad.RunAsync(store, db, people, regime, measure: o.Runs("bulk"));
    if (o.Runs("bulk"))
    {
        Say($"bulk load: ledger {bulk.MartenPerSecond:N0} events/s (COPY and hashes {bulk.Load.Copy.TotalSeconds:N1} s, completion and ANALYZE {bulk.Load.Chain.TotalSeconds:N1} s), raw COPY {bulk.RawPerSecond:N0} events/s; the machine's CPU: ledger {bulk.LedgerCpu.TotalSeconds:N1} s, raw {bulk.RawCpu.TotalSeconds:N1} s");
        rows.Add(new Row("Bulk load (events/s)", Fmt(bulk.MartenPerSecond), Fmt(bulk.RawPerSecond), bulk.MartenPerSecond / bulk.RawPerSecond, "≥ 0.80", bulk.MartenPerSecond / bulk.RawPerSecond >= 0.8));
        details.AppendLine($"- **Bulk load**: {bulk.Events:N0} events of {bulk.Streams:N0} streams through the migration path `ChainedBulkLoad` " +
                           $"{bulk.Marten.TotalSeconds:N1} s: its own binary COPY into Marten's tables (`HistoryCopy`) in parts of about 100,000 events, each part with the documents the live paths write " +
                           $"beside its events ({bulk.Receipts:N0} payment receipts in all, derived from the events by `HistoryReceipts` while the part before was copied, and {bulk.Streams:N0} DUI registrations), " +
                           "with the chain trigger, the foreign keys " +
                           $"of the events and hashes and the receipts' secondary indexes off, each part read back as stored and its {bulk.Load.HashedDuringCopy:N0} hashes computed by the verifier's function " +
                           $"and copied in while the next part was copied, the foreign keys validated again and the indexes built: {bulk.Load.Copy.TotalSeconds:N1} s; " +
                           $"then the set-based completion of any chain left ({bulk.Load.Hashed - bulk.Load.HashedDuringCopy:N0} hashes) and ANALYZE {bulk.Load.Chain.TotalSeconds:N1} s; every stream's chain " +
                           $"then verified intact by the C# verifier ({bulk.Verified.TotalSeconds:N1} s, not timed). Raw: binary COPY of the same rows " +
                           $"(same columns, JSON and metadata; the events, the same receipts and registrations) into plain tables with only a primary key, then ANALYZE, {bulk.Raw.TotalSeconds:N1} s " +
                           $"(no hashes; not timed while it derived the receipts with the ledger's function, {bulk.RawDeriving.TotalSeconds:N1} s). " +
                           BulkLoad.CpuBound(bulk));
    }
    else Say($"seeded with the chained bulk load in {bulk.Marten.TotalSeconds:N1} s (not measured)");
}

// 2. Rebuild every read model from those events (this also creates the accounts the next workloads read).
if (!reuse || o.Runs("rebuild"))
{
    var rebuild = await Rebuild.RunAsync(store, db, measure: o.Runs("rebuild"));
    if (o.Runs("rebuild"))
    {
        Say($"rebuild: ledger {rebuild.LedgerPerSecond:N0} events/s ({rebuild.Ledger.TotalSeconds:N1} s: one pass {rebuild.Rebuilt.OnePassTook.TotalSeconds:N1} s, daemon {rebuild.Rebuilt.DaemonTook.TotalSeconds:N1} s), Marten's daemon {rebuild.DaemonPerSecond:N0} events/s ({rebuild.Daemon.TotalSeconds:N1} s: accounts {rebuild.Accounts.TotalSeconds:N1} s and reserve {rebuild.Reserve.TotalSeconds:N1} s at once), raw read {rebuild.RawPerSecond:N0} events/s");
        rows.Add(new Row("Rebuild all read models (events/s)", Fmt(rebuild.LedgerPerSecond), Fmt(rebuild.RawPerSecond), rebuild.LedgerPerSecond / rebuild.RawPerSecond, "≥ 0.30", rebuild.LedgerPerSecond / rebuild.RawPerSecond >= 0.3));
        rows.Add(new Row("  Marten's daemon, as `projections rebuild` (informative)", Fmt(rebuild.DaemonPerSecond), Fmt(rebuild.RawPerSecond), rebuild.DaemonPerSecond / rebuild.RawPerSecond, "", null));
        var onePass = rebuild.Rebuilt.OnePass;
        details.AppendLine($"- **Rebuild**: {rebuild.Events:N0} events. `rebuild-read-models` (`ReadModels.RebuildAsync`): the account documents and the reserve " +
                           $"in one read of the events in stream order ({onePass.Events:N0} events up to sequence {onePass.HighWaterMark:N0}; {onePass.Accounts:N0} account documents and " +
                           $"{onePass.ReserveRows:N0} reserve rows written by binary COPY, in one transaction; {rebuild.Rebuilt.OnePassTook.TotalSeconds:N1} s)" +
                           (rebuild.Rebuilt.ByTheDaemon.Count == 0 ? "" : $", then by Marten's daemon {string.Join(", ", rebuild.Rebuilt.ByTheDaemon)} ({rebuild.Rebuilt.DaemonTook.TotalSeconds:N1} s)") +
                           $": {rebuild.Ledger.TotalSeconds:N1} s. Informative: Marten's daemon rebuilding `AccountProjection` ({rebuild.Accounts.TotalSeconds:N1} s) " +
                           $"and `ReserveYearProjection` ({rebuild.Reserve.TotalSeconds:N1} s) at once, as `projections rebuild` does: {rebuild.Daemon.TotalSeconds:N1} s. " +
                           "Raw: a read of every event in order with System.Text.Json " +
                           $"deserialisation into its type {rebuild.Raw.TotalSeconds:N1} s ({rebuild.Deserialised:N0} events).");
    }
    else Say($"read models built in {rebuild.Ledger.TotalSeconds:N1} s (not measured)");
}
if (!reuse) await Raw.MarkPopulationAsync(db, o.Population, o.Seed);
// The events are in the database now; the workloads below need only the accounts. At 1,000,000 persons the events
// held in memory are about half of the process's size.
people = people.Select(p => p with { Events = [] }).ToList();
GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

// 3. Rights lookups in process against the raw prepared SELECT.
var numbers = people.Select(p => p.AffiliationNumber).ToList();
Throughput? rawSelect = null; // shown beside the HTTP lookups, for information
if (o.Runs("rights"))
{
    var (raw, ledger) = await Rights.InTurnsAsync(store, db, o.Connection, regime, numbers, o.Clients, o.Seconds, o.WarmUp, o.Seed);
    Say($"rights in process: {ledger.PerSecond:N0}/s (p50 {ledger.P50Ms:N2} ms, p99 {ledger.P99Ms:N2} ms); raw select {raw.PerSecond:N0}/s (p50 {raw.P50Ms:N2} ms, p99 {raw.P99Ms:N2} ms)");
    rows.Add(new Row($"Rights in process, {o.Clients} readers (lookups/s)", Fmt(ledger.PerSecond), Fmt(raw.PerSecond), ledger.PerSecond / raw.PerSecond, "≥ 0.60", ledger.PerSecond / raw.PerSecond >= 0.6));
    rows.Add(new Row("Rights in process p50 / p99 (ms)", $"{Fmt(ledger.P50Ms, 2)} / {Fmt(ledger.P99Ms, 2)}", $"{Fmt(raw.P50Ms, 2)} / {Fmt(raw.P99Ms, 2)}", null, "", null));
    details.AppendLine($"- **Rights in process**: {o.Clients} concurrent readers for {o.Seconds:N0} s each after a {o.WarmUp:N0} s warm-up of each, in {Rights.Turns} turns of {o.Seconds / Rights.Turns:N0} s each (raw, ledger, ledger, raw, …: the machine's load falls on both alike), random accounts of the population, " +
                       $"date {Rights.On}. Ledger: the endpoint's read per lookup, `AsKnown.OnDateAsync` (the live account by `StandbyReads.LiveAccountAsync` on the reads' pool) + `RightsAnswer.Of` " +
                       $"({ledger.Operations:N0} lookups). Raw: `select data from salex.mt_doc_account where id = $1`, prepared, one connection per reader ({raw.Operations:N0} lookups).");
    rawSelect = raw;
}

// 3b. The batch query in process against the raw prepared SELECT of the same accounts.
if (o.Runs("rights-batch"))
{
    var (raw, ledger) = await Rights.BatchInTurnsAsync(store, db, o.Connection, regime, numbers, o.Clients, o.Seconds, o.WarmUp, o.Seed);
    Say($"rights batch query in process: {ledger.PerSecond * Rights.Batch:N0} accounts/s (p50 {ledger.P50Ms:N2} ms, p99 {ledger.P99Ms:N2} ms a query); raw select {raw.PerSecond * Rights.Batch:N0} accounts/s (p50 {raw.P50Ms:N2} ms, p99 {raw.P99Ms:N2} ms)");
    rows.Add(new Row($"Rights batch query in process, {o.Clients} readers, {Rights.Batch} accounts a query (accounts/s, informative)", Fmt(ledger.PerSecond * Rights.Batch), Fmt(raw.PerSecond * Rights.Batch), ledger.PerSecond / raw.PerSecond, "", null));
    rows.Add(new Row("Rights batch query p50 / p99 (ms a query)", $"{Fmt(ledger.P50Ms, 2)} / {Fmt(ledger.P99Ms, 2)}", $"{Fmt(raw.P50Ms, 2)} / {Fmt(raw.P99Ms, 2)}", null, "", null));
    details.AppendLine($"- **Rights batch query**: the same readers, warm-up and turns as the rights in process, each query {Rights.Batch} distinct random accounts of the population, date {Rights.On}. " +
                       $"Ledger: the route's read after parsing, `StandbyReads.LiveAccountsAsync` (one statement on the reads' pool) + `RightsAnswer.Of` for each ({ledger.Operations:N0} queries). " +
                       $"Raw: `select data from salex.mt_doc_account where id = any($1)`, prepared, one connection per reader ({raw.Operations:N0} queries).");
}

// 4. Payments through the command path against raw batched INSERTs.
var paidInProcess = new HashSet<string>();
PaymentsWorkload.Result? inProcessPayments = null; // beside the payments over HTTP
if (o.Runs("payments"))
{
    await Raw.MarkPopulationAsync(db, null, o.Seed); // the payments change the population: no --reuse after them
    var plan = PaymentsWorkload.Plan(people, o.Payments, o.PaymentWorkers, regime, o.Seed);
    paidInProcess.UnionWith(plan.SelectMany(share => share).Select(p => p.AffiliationNumber));
    // A fifth as many payments again, on other accounts, unmeasured before the measured ones (the JIT's warm-up).
    var warmUp = PaymentsWorkload.Plan(people, Math.Max(1, o.Payments / 5), o.PaymentWorkers, regime, o.Seed + 2, paidInProcess);
    paidInProcess.UnionWith(warmUp.SelectMany(share => share).Select(p => p.AffiliationNumber));
    using var commands = await CommandHost.StartAsync(o.Connection, regime);
    var pay = await PaymentsWorkload.RunAsync(
        commands.Services.GetRequiredService<Salex.Ledger.Api.Features.Paying.PaymentWriter>(), db, regime, plan, warmUp, o.RawBatch);
    Say($"payments: ledger {pay.Ledger.PerSecond:N0} events/s (p50 {pay.Ledger.P50Ms:N2} ms, p99 {pay.Ledger.P99Ms:N2} ms), raw batched {pay.RawBatched.PerSecond:N0} rows/s, raw one row per transaction {pay.RawPerRow.PerSecond:N0} rows/s, raw grouped as the ledger's shape allows {pay.RawGrouped.PerSecond:N0} rows/s (p50 {pay.RawGrouped.P50Ms:N2} ms)");
    Say(PaymentsWorkload.CpuBound(pay));
    inProcessPayments = pay;
    rows.Add(new Row($"Payments, {pay.Workers} writers (events/s)", Fmt(pay.Ledger.PerSecond), $"{Fmt(pay.RawBatched.PerSecond)} (batches of {pay.Batch})", pay.Ledger.PerSecond / pay.RawBatched.PerSecond, "≥ 0.50", pay.Ledger.PerSecond / pay.RawBatched.PerSecond >= 0.5));
    rows.Add(new Row("  same rows, one per transaction (informative)", "", Fmt(pay.RawPerRow.PerSecond), pay.Ledger.PerSecond / pay.RawPerRow.PerSecond, "", null));
    rows.Add(new Row($"  same rows, {pay.Workers} writers each waiting for its commit, grouped (the shape's bound, informative)", "", Fmt(pay.RawGrouped.PerSecond), pay.Ledger.PerSecond / pay.RawGrouped.PerSecond, "", null));
    rows.Add(new Row("Payments p50 / p99 (ms)", $"{Fmt(pay.Ledger.P50Ms, 2)} / {Fmt(pay.Ledger.P99Ms, 2)}", $"{Fmt(pay.RawGrouped.P50Ms, 2)} / {Fmt(pay.RawGrouped.P99Ms, 2)} (grouped)", null, "", null));
    details.AppendLine($"- **Payments**: {pay.Payments:N0} payments of one period each ({pay.EventsAppended:N0} events appended) through the group commit (`PaymentWriter`, batches handled by `RecordPaymentBatchHandler`) " +
                       $"(the endpoint's path after parsing: receipt and account loaded, `Payments.Decide`, append, inline account projection, receipt, commit), " +
                       $"{pay.Workers} workers on distinct accounts, after {warmUp.Sum(share => share.Count):N0} payments of other accounts through the same path, not timed (the JIT's warm-up); per payment p50 {pay.Ledger.P50Ms:N2} ms, p99 {pay.Ledger.P99Ms:N2} ms. Raw: the same number of rows " +
                       $"with the same event JSON and metadata, INSERTed by {pay.Workers} workers in `NpgsqlBatch`es of {pay.Batch} (one round trip and one transaction per batch) " +
                       $"into a plain table shaped like `mt_events`; and the same rows one INSERT per transaction; and the bound of the ledger's own shape: the same " +
                       $"{pay.Workers} workers each waiting for its row's commit before the next, one committer writing every waiting row in one batch and transaction " +
                       $"(p50 {pay.RawGrouped.P50Ms:N2} ms, p99 {pay.RawGrouped.P99Ms:N2} ms). {PaymentsWorkload.CpuBound(pay)}");
}

// 5. The API as a process: cold start, rights over HTTP, bank file import.
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(o.Clients, 4), UseProxy = false }) { Timeout = TimeSpan.FromMinutes(15) };
if (o.Runs("cold") || o.Runs("http") || o.Runs("payments-http") || o.Runs("bank"))
{
    if (!File.Exists(o.ApiDll)) throw new FileNotFoundException($"Build the API first (bench.sh does): {o.ApiDll}");
    // Production does not change the schema at startup: apply it the way the README tells a DBA to.
    await ApiProcess.RunCommandAsync(o.ApiDll, o.Connection, apiLog, "db-apply");
}
var probeNumber = numbers[0];
if (o.Runs("cold") || o.Runs("http"))
{
    var starts = new List<TimeSpan>();
    var listening = new List<TimeSpan>();
    var cpu = new List<TimeSpan>();
    var resident = new List<double>();
    ApiProcess? api = null;
    for (var i = 0; i < Math.Max(1, o.ColdStarts); i++)
    {
        if (api is not null) await api.DisposeAsync();
        api = await ApiProcess.StartAsync(o.ApiDll, o.Connection, probeNumber, apiLog, http);
        starts.Add(api.ReadyAfter);
        listening.Add(api.ListeningAfter);
        cpu.Add(api.CpuAtReady);
        resident.Add(api.Memory().Rss);
        var (anonymous, files) = api.ResidentParts();
        Say($"cold start {i + 1}: {api.ReadyAfter.TotalSeconds:N2} s (accepting connections after {api.ListeningAfter.TotalSeconds:N2} s, CPU {api.CpuAtReady.TotalSeconds:N2} s, resident {resident[^1]:N0} MiB: own {anonymous:N0}, mapped files {files:N0})");
    }
    var probes = new List<TimeSpan>();
    for (var i = 0; i < Math.Max(1, o.ColdStarts); i++) probes.Add(await ApiProcess.ProbeAsync(o.Connection, probeNumber));
    var coldStart = starts.Order().ElementAt(starts.Count / 2);
    var floor = probes.Order().ElementAt(probes.Count / 2);
    rows.Add(new Row("Cold start to first rights answer (s)", Fmt(coldStart.TotalSeconds, 2), Fmt(floor.TotalSeconds, 2), floor / coldStart, "≤ 1.5 s", coldStart.TotalSeconds <= 1.5));
    details.AppendLine($"- **Cold start**: `dotnet Ledger.Api.dll` (published as `bench.sh` does: Release, self-contained, composite ReadyToRun, pre-generated handler code; " +
                       $"Production environment, schema already applied) from process start to the first " +
                       $"200 of `GET /api/rights/{{n}}`, median of {starts.Count}: {string.Join(", ", starts.Select(s => $"{s.TotalSeconds:N2} s"))} " +
                       $"(CPU used by then {string.Join(", ", cpu.Select(c => $"{c.TotalSeconds:N2} s"))}, which the machine's load changes less; " +
                       $"resident set just after the first answer {string.Join(", ", resident.Select(r => $"{r:N0} MiB"))}) " +
                       $"(Kestrel accepted the first request after {string.Join(", ", listening.Select(s => $"{s.TotalSeconds:N2} s"))}; the rest is the first request's own path). " +
                       $"Baseline: this program started in its probe mode (a .NET process that opens a connection and answers one raw SELECT): " +
                       $"{string.Join(", ", probes.Select(s => $"{s.TotalSeconds:N2} s"))}. The ratio is floor / ledger.");

    if (o.Runs("http"))
    {
        // The API's async daemon projects what earlier workloads wrote without it (the payments' events, by the
        // benchmark's own command host) as soon as it starts: that catching up is not the rights path, so the
        // lookups are measured once it is done, and its time is reported.
        var caughtUp = await Raw.DaemonCaughtUpAsync(db);
        Say($"the API's async daemon caught up {caughtUp.TotalSeconds:N1} s after its first answer");
        var ledger = await Measure.ForDurationAsync(o.Clients, o.Seconds, async (_, rng) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, api!.RightsUrl(numbers[rng.Next(numbers.Count)]));
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, ApiProcess.ReaderKey);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"Rights answered {(int)response.StatusCode}.");
            await response.Content.ReadAsByteArrayAsync();
        }, o.Seed, o.WarmUp);
        Say($"rights over HTTP: {ledger.PerSecond:N0}/s (p50 {ledger.P50Ms:N2} ms, p99 {ledger.P99Ms:N2} ms)");
        Throughput httpFloor;
        await using (var floorProcess = await HttpFloor.StartAsync(o.Connection, probeNumber, http))
        {
            httpFloor = await Measure.ForDurationAsync(o.Clients, o.Seconds, async (_, rng) =>
            {
                using var response = await http.GetAsync(floorProcess.RightsUrl(numbers[rng.Next(numbers.Count)]));
                if (response.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"The floor answered {(int)response.StatusCode}.");
                await response.Content.ReadAsByteArrayAsync();
            }, o.Seed, o.WarmUp);
        }
        Say($"HTTP floor: {httpFloor.PerSecond:N0}/s (p50 {httpFloor.P50Ms:N2} ms, p99 {httpFloor.P99Ms:N2} ms)");
        rows.Add(new Row($"Rights over HTTP, {o.Clients} clients (lookups/s)", Fmt(ledger.PerSecond), $"{Fmt(httpFloor.PerSecond)} (HTTP floor)", ledger.PerSecond / httpFloor.PerSecond, "≥ 0.50", ledger.PerSecond / httpFloor.PerSecond >= 0.5));
        rows.Add(new Row("Rights over HTTP p50 / p99 (ms)", $"{Fmt(ledger.P50Ms, 2)} / {Fmt(ledger.P99Ms, 2)}", $"{Fmt(httpFloor.P50Ms, 2)} / {Fmt(httpFloor.P99Ms, 2)}", null, "p99 ≤ 2 × floor's", ledger.P99Ms <= 2 * httpFloor.P99Ms));
        if (rawSelect is { } raw)
            rows.Add(new Row("  against the raw SELECT in process (informative)", "", Fmt(raw.PerSecond), ledger.PerSecond / raw.PerSecond, "", null));
        details.AppendLine($"- **Rights over HTTP**: the API process above, {o.Clients} concurrent `HttpClient` requests (keep-alive) of `GET /api/rights/{{n}}?on={Rights.On}` " +
                           $"with a rights-reader key, {o.Seconds:N0} s after a {o.WarmUp:N0} s warm-up ({ledger.Operations:N0} answers, all 200), once the API's async daemon had " +
                           $"projected every event (it caught up {caughtUp.TotalSeconds:N1} s after the API's first answer). Client and server share the machine's cores. " +
                           $"Baseline, the **HTTP floor**: a minimal ASP.NET Core process started by this program (`HttpFloor`) answering the same route shape with the " +
                           $"JSON of the raw prepared SELECT, hit by the same client in the same way ({httpFloor.Operations:N0} answers).");
    }
    await api!.DisposeAsync();
}

// 6. Payments over HTTP: the API as deployed, informative beside the in-process figure (other accounts than those).
if (o.Runs("payments-http"))
{
    await Raw.MarkPopulationAsync(db, null, o.Seed);
    var plan = PaymentsWorkload.Plan(people, Math.Max(1, o.Payments / 2), o.PaymentWorkers, regime, o.Seed + 1, paidInProcess);
    await using var api = await ApiProcess.StartAsync(o.ApiDll, o.Connection, probeNumber, apiLog, http);
    var caughtUp = await Raw.DaemonCaughtUpAsync(db);
    var pay = await PaymentsWorkload.OverHttpAsync(http, api, db, plan);
    var workers = plan.Count;
    Say($"payments over HTTP: {pay.PerSecond:N0} events/s (p50 {pay.P50Ms:N2} ms, p99 {pay.P99Ms:N2} ms), {workers} clients");
    var batched = inProcessPayments?.RawBatched;
    var inProcess = inProcessPayments?.Ledger;
    rows.Add(new Row($"Payments over HTTP, {workers} clients, the API as deployed (events/s, informative)", Fmt(pay.PerSecond),
        batched is null ? "" : $"{Fmt(batched.PerSecond)} (raw batched above)", pay.PerSecond / batched?.PerSecond, "", null));
    if (inProcess is not null)
        rows.Add(new Row("  against the payments in process above (informative)", "", Fmt(inProcess.PerSecond), pay.PerSecond / inProcess.PerSecond, "", null));
    rows.Add(new Row("Payments over HTTP p50 / p99 (ms)", $"{Fmt(pay.P50Ms, 2)} / {Fmt(pay.P99Ms, 2)}",
        inProcess is null ? "" : $"{Fmt(inProcess.P50Ms, 2)} / {Fmt(inProcess.P99Ms, 2)} (in process)", null, "", null));
    details.AppendLine($"- **Payments over HTTP**: {plan.Sum(share => share.Count):N0} payments of one period each ({pay.Operations:N0} events appended), " +
                       $"`POST /api/insured/{{n}}/payments` with a finance key to a freshly started API process (Production environment: Wolverine's durable " +
                       $"outbox, the rights-change feed, the async daemon; it had caught up {caughtUp.TotalSeconds:N1} s after its first answer), {workers} clients " +
                       $"on distinct accounts (none of those paid in process), each waiting for its 201 before its next payment; per payment p50 {pay.P50Ms:N2} ms, " +
                       $"p99 {pay.P99Ms:N2} ms. Informative: it measures what the in-process figure leaves out (Kestrel, authentication, the JSON body, the outbox).");
}

if (o.Runs("bank"))
{
    await Raw.MarkPopulationAsync(db, null, o.Seed);
    var file = Path.Combine(artifacts, "bench-bank-file.csv");
    await BankFile.WriteAsync(file, people, o.BankLines, regime, o.Seed);
    var raw = await BankFile.RawAsync(db, file);
    await using var api = await ApiProcess.StartAsync(o.ApiDll, o.Connection, probeNumber, apiLog, http);
    var (rss, _) = api.Memory();
    var (feedBefore, _, _) = await BankFile.FeedAsync(db);
    var (summary, elapsed) = await BankFile.ImportAsync(api, http, file, o.BankLines);
    var (changes, settled) = await BankFile.FeedSettledAsync(db, feedBefore);
    var (_, peak) = api.Memory();
    var bank = new BankFile.Result(o.BankLines, elapsed, raw, rss, peak, summary);
    Say($"bank file: {bank.LedgerPerSecond:N0} lines/s ({elapsed.TotalSeconds:N1} s, peak RSS {peak:N0} MiB), raw {bank.RawPerSecond:N0} lines/s; {summary}; feed: {changes:N0} changes, caught up {settled.TotalSeconds:N1} s after the answer");
    rows.Add(new Row($"Bank file import, {o.BankLines:N0} lines (lines/s)", Fmt(bank.LedgerPerSecond), Fmt(bank.RawPerSecond), bank.LedgerPerSecond / bank.RawPerSecond, "≥ 5,000 lines/s", bank.LedgerPerSecond >= 5000));
    rows.Add(new Row("Bank file import, API peak memory (MiB)", $"{Fmt(peak)} (RSS before {Fmt(rss)})", "", null, "< 350 MiB", peak < 350));
    details.AppendLine($"- **Bank file**: {o.BankLines:N0} lines for {Math.Min(o.BankLines, people.Count):N0} accounts, POSTed as `text/csv` to `/api/bank-files` of a freshly " +
                       $"started API process; {elapsed.TotalSeconds:N1} s; outcomes: {summary}; the file balanced to the cent. The feed recorded the {changes:N0} " +
                       $"rights changes the file made, numbered without a gap, {settled.TotalSeconds:N1} s after the file's answer. Peak memory is the process's VmHWM " +
                       $"(peak resident set, /proc) once the feed had caught up; its resident set before the import was {rss:N0} MiB. Baseline: the same file read, split, " +
                       $"parsed and binary-COPied into a plain table, {raw.TotalSeconds:N1} s.");
}

var table = Table(rows);
var markdown = new StringBuilder()
    .AppendLine($"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {mode} mode, {total.Elapsed.TotalMinutes:N1} min in all. " +
                "Every ratio is the ledger's figure over its baseline's, measured in the same run on the same machine " +
                "(for cold start, the floor's time over the ledger's).")
    .AppendLine()
    .AppendLine("| machine | |")
    .AppendLine("| --- | --- |")
    .AppendLine($"| CPU | {machine.Cores} cores ({machine.Cpu}) |")
    .AppendLine($"| memory | {machine.MemoryGiB:N1} GiB |")
    .AppendLine($"| PostgreSQL | {machine.PostgreSql} ({machine.PostgreSqlSettings}) |")
    .AppendLine($"| .NET | {machine.Runtime}, {machine.Os} |")
    .AppendLine($"| load average (1, 5, 15 min) | {loadAtStart} at the start, {LoadAverage()} at the end (other work shares this machine) |")
    .AppendLine()
    .Append(table)
    .AppendLine()
    .AppendLine("How each figure was taken:")
    .AppendLine()
    .Append(details)
    .ToString();

Console.WriteLine();
Console.WriteLine(ConsoleTable(rows));
await Report.WriteAsync(o.Output, markdown);
Say($"written to {Path.GetRelativePath(o.Repo, o.Output)}");
return 0;
