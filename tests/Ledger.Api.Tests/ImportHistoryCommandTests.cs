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

    [Fact]
    public async Task a_history_file_is_loaded_with_its_metadata_receipts_and_registrations()
    {
        var file =
            Line("900000186", "01234567-0", "IMP-1") + "\n\n"
            // A backslash before "u0000" is text, not a NUL character.
            + Line("900000194", "01234568-9", "IMP-2").Replace("legacy-system", @"legacy\\u0000system") + "\n";
        var (code, text) = await ImportAsync(file);

        code.ShouldBe(0, text);
        text.ShouldContain("Loaded 2 accounts, 4 events");
        await using var session = Fixture.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync("900000194");
        events.Select(e => (e.UserName, e.CorrelationId, e.Timestamp)).ShouldBe(
        [
            (@"legacy\u0000system", "legacy-900000194-0", new DateTimeOffset(2018, 1, 10, 16, 0, 0, TimeSpan.Zero)),
            (@"legacy\u0000system", "legacy-900000194-1", new DateTimeOffset(2018, 1, 11, 16, 0, 0, TimeSpan.Zero)),
        ]);
        ((CreditRecorded)events[1].Data).Amount.ShouldBe(4.08m);
        (await session.LoadAsync<PaymentReceipt>("AGRICOLA/IMP-2"))!.Trail.Amount.ShouldBe(4.08m);
        (await session.LoadAsync<DuiRegistration>("01234567-0"))!.AffiliationNumber.ShouldBe("900000186");

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
        var file = string.Join("\n",
            Line("900000202", "01234569-7", "IMP-3"),
            Line("900000210", "01234570-0", "IMP-4").Replace("\"creditRecorded\"", "\"creditRecordedd\"").Replace("\"credit_recorded\"", "\"credit_recordedd\""),
            Line("900000228", "01234571-9", "IMP-5").Replace("legacy-system", "legacy\\u0000system"),
            "{\"affiliationNumber\": \"900000236\", \"events\": [",
            Line("900000244", "01234572-7", "IMP-6", Events("900000244", "01234572-7", "IMP-6").Reverse().ToArray()),
            Line("900000202", "01234573-5", "IMP-7"),
            "[1, 2, 3]",
            Line("900000251", "01234574-3", "IMP-8").Replace("4.08", "\"four\""),
            Line("900000269", "01234569-7", "IMP-9"),
            Line("900000277", "01234575-1", "IMP-3"));
        // A line whose bytes are not UTF-8 (an ISO-8859-1 "é"), then a good one.
        var bytes = Encoding.UTF8.GetBytes(file + "\n")
            .Concat(new byte[] { (byte)'{', 0xE9, (byte)'}', (byte)'\r', (byte)'\n' })
            .Concat(Encoding.UTF8.GetBytes(Line("900000285", "01234576-0", "IMP-10") + "\r\n")).ToArray();

        var (code, text) = await ImportAsync(bytes);

        code.ShouldNotBe(0);
        text.ShouldContain("Nothing loaded: 10 line(s) refused");
        text.ShouldContain("line 2: event 2: unknown type");
        text.ShouldContain("line 3: it contains a NUL character");
        text.ShouldContain("line 4: it is not an account's history in JSON");
        text.ShouldContain("line 5: the first event must be the enrolment of 900000244");
        text.ShouldContain("line 6: the account 900000202 has a line already");
        text.ShouldContain("line 7: it is not an account's history in JSON");
        text.ShouldContain("line 8: event 2: its data does not read as");
        text.ShouldContain("line 9: the DUI 01234569-7 is enrolled on line 1 already");
        text.ShouldContain("line 10: the bank transaction AGRICOLA/IMP-3 holds money of account 900000202 already");
        text.ShouldContain("line 11: it is not UTF-8 text");
        text.ShouldNotContain("line 12");
        text.ShouldNotContain("Unhandled");
        (await Host.EventCountAsync()).ShouldBe(0);
    }
}
