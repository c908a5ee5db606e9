using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Marten;
using NodaTime;
using Salex.Projections;
using Salex.Projections.Accounts;
using Salex.Projections.Payments;
using Shouldly;
using Xunit.Abstractions;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// <c>import-history FILE</c> run as a child process on the test database: a file of accounts' histories is loaded with
/// its receipts and registrations; a file with any line refused loads nothing and names every line.
/// </summary>
public sealed class ImportHistoryCommandTests(LedgerHost fixture, ITestOutputHelper output) : LedgerTest(fixture)
{
    private static object[] Events(string number, string dui, string reference) =>
    [
        new Enrolled(number, dui, "José Núñez", new LocalDate(1985, 6, 2), "US", null, new LocalDate(2018, 1, 10),
            new YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)),
        new CreditRecorded(new PaymentSource(new LocalDate(2018, 2, 1), "AGRICOLA", reference, "ONLINE"), 4.08m),
    ];

    private string Line(string number, string dui, string reference, params object[] events)
    {
        var graph = (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events;
        return JsonSerializer.Serialize(new
        {
            affiliationNumber = number,
            events = (events.Length > 0 ? events : Events(number, dui, reference)).Select((e, i) => new
            {
                type = graph.EventMappingFor(e.GetType()).EventTypeName,
                data = JsonSerializer.SerializeToElement(e, e.GetType(), LedgerSerializer.Json),
                recordedAt = new DateTimeOffset(2018, 1, 10 + i, 16, 0, 0, TimeSpan.Zero),
                recordedBy = "legacy-system",
                correlationId = $"legacy-{number}-{i}",
            }),
        });
    }

    private Task<(int Code, string Output)> ImportAsync(string contents) => ImportAsync(Encoding.UTF8.GetBytes(contents));

    private async Task<(int Code, string Output)> ImportAsync(byte[] contents)
    {
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllBytesAsync(path, contents);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"), "import-history", path })
                start.ArgumentList.Add(arg);
            start.Environment["ConnectionStrings__Ledger"] = Environment.GetEnvironmentVariable("ConnectionStrings__Ledger");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["DOTNET_ENVIRONMENT"] = "Development";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var text = await stdout + await stderr;
            output.WriteLine(text);
            return (process.ExitCode, text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An affiliation number of the ledger's format below its sequence's start (a load does not move it).</summary>
    private static string N(int i) => Salex.Ledger.Enrolment.AffiliationNumber.FromSequence(5_000_000 + i);

    [Fact]
    public async Task a_history_file_is_loaded_with_its_metadata_receipts_and_registrations()
    {
        var (first, second, dui) = (N(186), N(194), Scenarios.NewDui());
        var file =
            Line(first, dui, "IMP-1") + "\n\n"
            // A backslash before "u0000" is text, not a NUL character.
            + Line(second, Scenarios.NewDui(), "IMP-2").Replace("legacy-system", @"legacy\\u0000system") + "\n";
        var (code, text) = await ImportAsync(file);

        code.ShouldBe(0, text);
        text.ShouldContain("Loaded 2 accounts, 4 events");
        await using var session = Fixture.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(second);
        events.Select(e => (e.UserName, e.CorrelationId, e.Timestamp)).ShouldBe(
        [
            (@"legacy\u0000system", $"legacy-{second}-0", new DateTimeOffset(2018, 1, 10, 16, 0, 0, TimeSpan.Zero)),
            (@"legacy\u0000system", $"legacy-{second}-1", new DateTimeOffset(2018, 1, 11, 16, 0, 0, TimeSpan.Zero)),
        ]);
        ((CreditRecorded)events[1].Data).Amount.ShouldBe(4.08m);
        (await session.LoadAsync<PaymentReceipt>("AGRICOLA/IMP-2"))!.Trail.Amount.ShouldBe(4.08m);
        (await session.LoadAsync<DuiRegistration>(dui))!.AffiliationNumber.ShouldBe(first);

        // The same file again: refused in words, nothing changed.
        var (again, said) = await ImportAsync(file);
        again.ShouldNotBe(0);
        said.ShouldContain("has a stream on this ledger already");
        said.ShouldNotContain("Exception");
        (await Host.EventCountAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task a_file_with_refused_lines_loads_nothing_and_names_each_line()
    {
        var dui = Scenarios.NewDui();
        string Good(int i, string reference) => Line(N(i), Scenarios.NewDui(), reference);
        var file = string.Join("\n",
            Line(N(202), dui, "IMP-3"),
            Good(210, "IMP-4").Replace("\"credit_recorded\"", "\"credit_recordedd\""),
            Good(228, "IMP-5").Replace("legacy-system", "legacy\\u0000system"),
            $"{{\"affiliationNumber\": \"{N(236)}\", \"events\": [",
            Line(N(244), Scenarios.NewDui(), "IMP-6", Events(N(244), Scenarios.NewDui(), "IMP-6").Reverse().ToArray()),
            Good(202, "IMP-7"),
            "[1, 2, 3]",
            Good(251, "IMP-8").Replace("4.08", "\"four\""),
            Line(N(269), dui, "IMP-9"),
            Good(277, "IMP-3"),
            // What the ledger could not have recorded.
            Good(285, "IMP-11").Replace("\"amount\":4.08", "\"amount\":-4.08"),
            Good(293, "IMP-12").Replace("\"amount\":4.08", "\"amount\":4.085"),
            Good(301, "IMP-13").Replace("\"AGRICOLA\"", "\"agricola\""),
            Good(319, "IMP-14").Replace("\"amount\":4.08", "\"amount\":4.08,\"amont\":1"),
            Good(327, "IMP-15").Replace("2018-01-10T16:00:00+00:00", "1800-01-10T16:00:00+00:00"),
            Line("1234A", Scenarios.NewDui(), "IMP-16"),
            Line(N(335), "0123", "IMP-17"),
            System.Text.RegularExpressions.Regex.Replace(Good(343, "IMP-18"), "\"dui\":\"[^\"]*\",", ""),
            // A null period reads, but the account cannot be replayed with it: refused here, not halfway through the load.
            System.Text.RegularExpressions.Regex.Replace(
                Line(N(359), Scenarios.NewDui(), "IMP-19", [.. Events(N(359), Scenarios.NewDui(), "IMP-19").Take(1),
                    new ContributionPaid(new PaymentSource(new LocalDate(2018, 2, 1), "AGRICOLA", "IMP-19", "ONLINE"),
                        [new PeriodPayment(new YearMonth(2018, 2), 55.92m, 0, 0m, 0m)])]),
                "\"periods\":\\[[^\\]]*\\]", "\"periods\":[null]"));
        // A line whose bytes are not UTF-8 (an ISO-8859-1 "é"), then a good one.
        var bytes = Encoding.UTF8.GetBytes(file + "\n")
            .Concat(new byte[] { (byte)'{', 0xE9, (byte)'}', (byte)'\r', (byte)'\n' })
            .Concat(Encoding.UTF8.GetBytes(Good(350, "IMP-10") + "\r\n")).ToArray();

        var (code, text) = await ImportAsync(bytes);

        code.ShouldNotBe(0);
        text.ShouldContain("Nothing loaded: 19 line(s) refused");
        text.ShouldContain("line 2: event 2: unknown type");
        text.ShouldContain("line 3: it contains a NUL character");
        text.ShouldContain("line 4: it is not an account's history in JSON");
        text.ShouldContain($"line 5: the first event must be the enrolment of {N(244)}");
        text.ShouldContain($"line 6: the account {N(202)} has a line already");
        text.ShouldContain("line 7: it is not an account's history in JSON");
        text.ShouldContain("line 8: event 2: its data does not read as");
        text.ShouldContain($"line 9: the DUI {dui} is enrolled on line 1 already");
        text.ShouldContain($"line 10: the bank transaction AGRICOLA/IMP-3 holds money of account {N(202)} already");
        text.ShouldContain("line 11: event 2: the amount -4.08 is below zero or not in whole cents");
        text.ShouldContain("line 12: event 2: the amount 4.085 is below zero or not in whole cents");
        text.ShouldContain("line 13: event 2: the bank code 'agricola' is not as the payments API records it");
        text.ShouldContain("line 14: event 2: its data does not read as");
        text.ShouldContain("line 15: event 1: 'recordedAt' 1800-01-10");
        text.ShouldContain("line 16: '1234A' is not an affiliation number of this ledger");
        text.ShouldContain("line 17: the enrolment's DUI");
        text.ShouldContain("line 18: event 1: its data does not read as 'enrolled' (JSON deserialization for type 'Salex.Ledger.Enrolled' was missing required properties");
        text.ShouldContain("line 19: its events cannot be replayed by the ledger's rules");
        text.ShouldContain("line 20: it is not UTF-8 text");
        text.ShouldNotContain("line 21");
        text.ShouldNotContain("Unhandled");
        (await Host.EventCountAsync()).ShouldBe(0);
    }
}
