using System.Text;
using Alba;
using Marten;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Tests;
using Salex.Projections.Integrity;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Bank files with NUL bytes, control characters and over-long fields: each such line is malformed with its reason,
/// the good lines are applied, the file completes, and importing it again changes nothing.
/// </summary>
public sealed class HostileBankFileTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private async Task<BankFileReport> ReportAsync(string fileId) =>
        await Host.GetJsonAsync<BankFileReport>($"/api/bank-files/{fileId}", Keys.Finance);

    [Fact]
    public async Task a_csv_file_with_nul_bytes_and_over_long_fields_imports_its_good_lines_and_reports_the_rest()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var csv = Csv(
            $"AGRICOLA,GOOD-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
            $"AGRICOLA,NUL\0REF,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
            $"AGRI\0COLA,GOOD-2,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
            $"AGRICOLA,{new string('7', 3000)},2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
            $"AGRICOLA,RTL-1,2018-03-05T10:15:00-06:00,{number}\u202E,58.72,ONLINE",
            $"AGRICOLA,FAR-1,0001-01-01T00:00:00Z,{number},58.72,ONLINE",
            $"AGRICOLA,BIG-1,2018-03-05T10:15:00-06:00,{number},99999999999.99,ONLINE",
            $"AGRICOLA,GOOD-3,2018-04-05T10:15:00-06:00,{number},58.72,ONLINE");

        var summary = await Host.ImportCsvAsync(csv);

        (summary.Status, summary.Lines, summary.Outcomes["Malformed"]).ShouldBe(("Completed", 8, 6));
        summary.Balanced.ShouldBeTrue();
        var report = await ReportAsync(summary.FileId);
        var malformed = report.Lines.Where(l => l.Outcome == "Malformed").ToDictionary(l => l.Line, l => l.Reason!);
        malformed.Keys.ShouldBe([3, 4, 5, 6, 7, 8]);
        malformed[3].ShouldContain("transactionId");
        malformed[3].ShouldContain("U+0000");
        malformed[3].ShouldNotContain("\0");
        malformed[4].ShouldContain("bankCode");
        malformed[5].ShouldContain("at most 64 characters", Case.Insensitive);
        malformed[6].ShouldContain("U+202E");
        malformed[7].ShouldContain("1900");
        malformed[8].ShouldContain("more than");
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-03");

        // Importing it again is a no-op: the file is complete, not stuck half-way.
        var again = await Host.ImportCsvAsync(csv);
        (again.Status, again.AlreadyRecorded).ShouldBe(("Completed", 8));
        await ChainsIntactAsync();
    }

    [Fact]
    public async Task a_camt_statement_with_nul_characters_and_over_long_fields_imports_its_good_entries_and_reports_the_rest()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var booked = "<DtTm>2018-03-05T10:15:00-06:00</DtTm>";
        var xml = CamtSamples.Statement(
            CamtSamples.Entry("58.72", $"cotizacion {number}", "C-GOOD-1", booked)
            + CamtSamples.Entry("58.72", $"cotizacion {number}", "C-NUL\0-1", booked)
            + CamtSamples.Entry("58.72", $"cotizacion {number}", "C-REF&#0;-2", booked)
            + CamtSamples.Entry("58.72", $"cotizacion {number}", new string('8', 3000), booked)
            + CamtSamples.Entry("58.72", "pago A&#1;B sin numero", "C-CTL-1", booked)
            + CamtSamples.Entry("58.72", $"cotizacion {number}", "C-GOOD-2", "<DtTm>2018-04-05T10:15:00-06:00</DtTm>"));

        var result = await Host.PostBankFileAsync(Encoding.UTF8.GetBytes(xml), contentType: "application/xml");
        var summary = (await result.ReadAsJsonAsync<BankFileSummary>())!;

        (summary.Status, summary.Lines, summary.Outcomes["Malformed"]).ShouldBe(("Completed", 6, 4));
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-03");
        var reasons = (await ReportAsync(summary.FileId)).Lines.Where(l => l.Outcome == "Malformed").Select(l => l.Reason!).ToList();
        reasons.ShouldAllBe(r => !r.Contains('\0') && !r.Contains('\u0001'));
        reasons.ShouldContain(r => r.Contains("U+0000"));   // &#0;
        reasons.ShouldContain(r => r.Contains("U+FFFD"));   // a raw NUL byte, which the XML reader is not given
        reasons.ShouldContain(r => r.Contains("at most 64 characters", StringComparison.OrdinalIgnoreCase));
        reasons.ShouldContain(r => r.Contains("U+0001"));
        await ChainsIntactAsync();
    }

    [Fact]
    public async Task a_camt_statement_cut_after_its_first_entries_imports_them_and_reports_where_it_breaks()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var xml = CamtSamples.Statement(CamtSamples.Entry("58.72", $"cotizacion {number}", "C-CUT-1", "<DtTm>2018-03-05T10:15:00-06:00</DtTm>"));
        var cut = xml[..xml.IndexOf("</Stmt>", StringComparison.Ordinal)];

        var summary = (await (await Host.PostBankFileAsync(Encoding.UTF8.GetBytes(cut), contentType: "application/xml"))
            .ReadAsJsonAsync<BankFileSummary>())!;

        (summary.Status, summary.Lines, summary.Outcomes["Applied"], summary.Outcomes["Malformed"]).ShouldBe(("Completed", 2, 1, 1));
        (await ReportAsync(summary.FileId)).Lines[^1].Reason.ShouldNotBeNull().ShouldContain("cannot be read from here on");
    }

    private async Task ChainsIntactAsync()
    {
        await foreach (var stream in new ChainVerifier(Fixture.Store).VerifyAllAsync(CancellationToken.None))
            stream.Intact.ShouldBeTrue($"{stream.StreamId}: {stream.BrokenLink}");
    }
}
