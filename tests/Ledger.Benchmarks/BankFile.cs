using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using NpgsqlTypes;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// A bank file (SPEC §5) with one line per enrolled account, imported through the real route
/// (<c>POST /api/bank-files</c>) of a fresh API process; against a raw read, parse and binary COPY of the
/// same lines into a plain table.
/// </summary>
public static class BankFile
{
    public sealed record Result(int Lines, TimeSpan Ledger, TimeSpan Raw, double RssBeforeMiB, double PeakMiB, string Summary)
    {
        public double LedgerPerSecond => Lines / Ledger.TotalSeconds;
        public double RawPerSecond => Lines / Raw.TotalSeconds;
    }

    /// <summary>
    /// Mostly the next period's contribution of each account (with its surcharge when it is late), and the
    /// exceptions finance sees: unknown payers, duplicates, amounts that leave a credit, malformed lines.
    /// Accounts whose episode ended get a line too (refused: refund due).
    /// </summary>
    public static async Task WriteAsync(string path, IReadOnlyList<Person> people, int lines, Regime regime, int seed)
    {
        var rng = new Random(seed);
        var paidAt = Population.Today.At(new LocalTime(10, 15)).InZoneLeniently(ElSalvador.TimeZone).ToOffsetDateTime();
        var pattern = OffsetDateTimePattern.ExtendedIso;
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteAsync(BankFileLines.Header + "\n");
        string[] banks = ["AGRICOLA", "CUSCATLAN", "DAVIVIENDA", "PROMERICA"];
        var written = new List<string>(lines);
        for (var i = 0; i < lines; i++)
        {
            var person = people[i % people.Count];
            var bank = banks[rng.Next(banks.Length)];
            var at = pattern.Format(paidAt.PlusMinutes(rng.Next(0, 480)));
            var channel = rng.NextDouble() < 0.7 ? "ONLINE" : "BRANCH";
            var next = person.Account.NextUnpaidPeriod;
            var amount = PaymentAllocator.PeriodPaidOn(next, Population.Today, regime.Rates, regime.Calendar).Total;
            var x = rng.NextDouble();
            string line;
            if (x < 0.03 && written.Count > 0) line = written[rng.Next(written.Count)];                                          // the bank sent it twice
            else if (x < 0.07) line = $"{bank},T{i:D9},{at},{Population.AffiliationNumberOf(people.Count + 1_000_000 + i)},{amount.ToInvariant()},{channel}"; // unknown payer
            else if (x < 0.09) line = $"{bank},T{i:D9},{at},{person.AffiliationNumber},{(amount + 12.34m).ToInvariant()},{channel}";  // leaves a credit
            else if (x < 0.10) line = $"{bank},T{i:D9},{at},{person.AffiliationNumber},{amount.ToString("0.00", CultureInfo.GetCultureInfo("es-SV")).Replace('.', ',')},{channel}"; // malformed
            else line = $"{bank},T{i:D9},{at},{person.AffiliationNumber},{amount.ToInvariant()},{channel}";
            written.Add(line);
            await writer.WriteAsync(line + "\n");
        }
    }

    /// <summary>The physical limit of taking the file in: read, split, parse each field, COPY the rows.</summary>
    public static async Task<TimeSpan> RawAsync(NpgsqlDataSource db, string path)
    {
        await Raw.ExecAsync(db, $"""
            drop table if exists {Raw.Schema}.bank_lines;
            create table {Raw.Schema}.bank_lines (line int primary key, bank_code text, transaction_id text, paid_at timestamptz,
                affiliation_number text, amount numeric(12,2), channel text, text text);
            """);
        await Raw.CheckpointAsync(db);
        return await Measure.TimeAsync(async () =>
        {
            await using var conn = await db.OpenConnectionAsync();
            await using var copy = await conn.BeginBinaryImportAsync(
                $"copy {Raw.Schema}.bank_lines (line, bank_code, transaction_id, paid_at, affiliation_number, amount, channel, text) from stdin (format binary)");
            using var reader = new StreamReader(path, Encoding.UTF8);
            await reader.ReadLineAsync();
            var number = 1;
            while (await reader.ReadLineAsync() is { } text)
            {
                number++;
                var f = text.Split(',');
                await copy.StartRowAsync();
                await copy.WriteAsync(number, NpgsqlDbType.Integer);
                if (f.Length == 6 && decimal.TryParse(f[4], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                    && DateTimeOffset.TryParse(f[2], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    await copy.WriteAsync(f[0], NpgsqlDbType.Text);
                    await copy.WriteAsync(f[1], NpgsqlDbType.Text);
                    await copy.WriteAsync(at.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(f[3], NpgsqlDbType.Text);
                    await copy.WriteAsync(amount, NpgsqlDbType.Numeric);
                    await copy.WriteAsync(f[5], NpgsqlDbType.Text);
                }
                else
                {
                    for (var c = 0; c < 6; c++) await copy.WriteNullAsync();
                }
                await copy.WriteAsync(text, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        });
    }

    /// <summary>The feed's entries and their numbers so far: count, lowest, highest.</summary>
    public static async Task<(long Count, long First, long Last)> FeedAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            $"select count(*), coalesce(min((data ->> 'sequence')::bigint), 0), coalesce(max((data ->> 'sequence')::bigint), 0) from {Salex.Projections.LedgerStore.Schema}.mt_doc_rightschangeentry");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// After the file's answer: waits until no rights-change message waits in the durable inbox, then checks that the
    /// feed's numbers have no gap. Answers the changes the import added and how long after the answer they were all
    /// recorded (not part of the import's time: the answer does not wait for the feed).
    /// </summary>
    public static async Task<(long Changes, TimeSpan After)> FeedSettledAsync(NpgsqlDataSource db, long before)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        // By the exact type names: the scheduled sweep's message lives in a namespace named RightsChanges too.
        var waiting = $"select count(*) from {Salex.Projections.LedgerStore.Schema}.wolverine_incoming_envelopes " +
                      $"where status <> 'Handled' and message_type in ('{typeof(Salex.Projections.RightsChanges.RightsChangesMade).FullName}', " +
                      $"'{typeof(Salex.Projections.RightsChanges.RightsChanged).FullName}')";
        while (await Raw.ScalarAsync(db, waiting) > 0)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(15)) throw new TimeoutException("The feed did not catch up with the bank file within 15 minutes.");
            await Task.Delay(200);
        }
        var after = waited.Elapsed;
        var (count, first, last) = await FeedAsync(db);
        if (count > 0 && last - first + 1 != count) throw new InvalidOperationException($"The feed's numbers have gaps: {count} entries numbered {first} to {last}.");
        return (count - before, after);
    }

    /// <summary>POSTs the file to the API and checks that every line has an outcome and the file balances.</summary>
    public static async Task<(string Summary, TimeSpan Elapsed)> ImportAsync(ApiProcess api, HttpClient http, string path, int lines)
    {
        return await Measure.TimeAsync(async () =>
        {
            await using var file = File.OpenRead(path);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseAddress, "api/bank-files"))
            {
                Content = new StreamContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } },
            };
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, ApiProcess.FinanceKey);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The bank file was refused ({(int)response.StatusCode}): {body}");
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.GetProperty("lines").GetInt32() != lines || !root.GetProperty("balanced").GetBoolean())
                throw new InvalidOperationException($"The bank file did not reconcile: {body}");
            return string.Join(", ", root.GetProperty("outcomes").EnumerateObject().Where(o => o.Value.GetInt32() > 0).Select(o => $"{o.Name} {o.Value.GetInt32()}"));
        });
    }
}
