using System.Text;
using Alba;
using Salex.Ledger.Api.Features.Banks;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Tests;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests.BankStatements;

/// <summary>Issue 12 through the host: conflicts, booking order, finance's view of suspense, plain CSV text, the
/// registry's accounts.</summary>
public sealed class StatementImportTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private async Task<BankFileReport> ReportAsync(string fileId) =>
        await Host.GetJsonAsync<BankFileReport>($"/api/bank-files/{fileId}", Keys.Finance);

    private async Task<string> CsvAsync(string url) => (await Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.WithRequestHeader("X-Api-Key", Keys.Admin);
        s.WithRequestHeader("Accept", "text/csv");
        s.StatusCodeShouldBe(200);
    })).ReadAsText();

    [Fact]
    public async Task a_known_reference_with_other_data_is_a_conflict_in_suspense_and_the_same_conflict_again_a_duplicate()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.ImportCsvAsync(Csv($"AGRICOLA,K-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        var other = Csv($"AGRICOLA,K-1,2018-03-06T10:15:00-06:00,{number},60.00,ONLINE");

        var summary = await Host.ImportCsvAsync(other);

        (summary.Outcomes["Conflict"], summary.Outcomes["Duplicate"], summary.Received, summary.Suspense).ShouldBe((1,
            0, 60.00m, 60.00m));
        var item = (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).ShouldHaveSingleItem();
        item.TransactionId.ShouldStartWith("K-1#");
        item.Reason.ShouldNotBeNull().ShouldContain("58.72 paid on 2018-03-05");
        // The same conflicting transaction in another file is that transaction again.
        var again = await Host.ImportCsvAsync(other + "\n");
        (again.Outcomes["Duplicate"], again.Received).ShouldBe((1, 0m));
    }

    [Fact]
    public async Task a_file_s_payments_of_one_account_are_applied_in_booking_order()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // In file order the 20 March money would pay 2018-02 20 days late (61.51 > 60.00) and stay credit; booked
        // first,
        // the 5 March money pays 2018-02 (5 days late, 58.72) and the 20 March money pays 2018-03 on time.
        var summary = await Host.ImportCsvAsync(Csv(
            $"AGRICOLA,O-1,2018-03-20T10:00:00-06:00,{number},60.00,ONLINE",
            $"AGRICOLA,O-2,2018-03-05T10:00:00-06:00,{number},58.72,ONLINE"));

        var lines = (await ReportAsync(summary.FileId)).Lines.ToDictionary(l => l.Line);
        (lines[3].Outcome, lines[3].Contributions, lines[3].Surcharges).ShouldBe(("Applied", 55.92m, 2.80m));
        (lines[2].Outcome, lines[2].Contributions, lines[2].Credit).ShouldBe(("AppliedWithCredit", 55.92m, 4.08m));
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-03");
        // Importing it again finds every line recorded.
        (await Host.ImportCsvAsync(Csv(
            $"AGRICOLA,O-1,2018-03-20T10:00:00-06:00,{number},60.00,ONLINE",
            $"AGRICOLA,O-2,2018-03-05T10:00:00-06:00,{number},58.72,ONLINE"))).AlreadyRecorded.ShouldBe(2);
    }

    [Fact]
    public async Task suspense_keeps_the_debtor_and_the_remittance_and_downloads_as_plain_utf8_csv()
    {
        var xml = CamtSamples.Statement(CamtSamples.Entry("25.00", "pago de mamá", "S-1").Replace("<RmtInf>",
            "<RltdPties><Dbtr><Nm>Peña, José \"Pepe\"</Nm></Dbtr><DbtrAcct><Id><IBAN>US64SVBKUS6S3300958879</IBAN></Id></DbtrAcct></RltdPties><RmtInf>"));
        await Host.PostBankFileAsync(Encoding.UTF8.GetBytes(xml), contentType: "application/xml");

        var item = (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).ShouldHaveSingleItem();
        (item.DebtorName, item.DebtorAccount, item.Remittance).ShouldBe(("Peña, José \"Pepe\"",
            "US64SVBKUS6S3300958879", "pago de mamá"));
        var csv = await CsvAsync("/api/suspense");
        csv.ShouldContain("\"Peña, José \"\"Pepe\"\"\"");
        csv.ShouldContain("pago de mamá");
        csv.Split("\r\n")[0].ShouldStartWith("id,fileId,line,bankCode,transactionId,paidOn,amount");
    }

    [Fact]
    public async Task the_history_csv_writes_accents_as_they_are()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");   // "Ana María López"
        var csv = await CsvAsync($"/api/insured/{number}/history");
        csv.ShouldContain("Ana María López");
        csv.ShouldNotContain("\\u00ED");
    }

    [Fact]
    public async Task finance_adds_an_account_to_a_bank_and_a_statement_of_that_account_is_the_bank_s()
    {
        Task<IScenarioResult> AddAsync(string code, string account, int status) => Host.Scenario(s =>
        {
            s.Post.Json(new { account }).ToUrl($"/api/banks/{code}/accounts");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(status);
        });
        var added = (await (await AddAsync("agricola", "SV43 AGRI 0000 0000 0012 3456 7",
            201)).ReadAsJsonAsync<PartnerBanksView>())!;
        added.Banks.Single(b => b.Code == "AGRICOLA").Accounts.ShouldBe(["SV43AGRI00000000001234567"]);
        await AddAsync("CUSCATLAN", "SV43AGRI00000000001234567", 409);
        await AddAsync("NOBANK", "SV43AGRI00000000001234568", 404);
        await AddAsync("AGRICOLA", "x", 400);

        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var xml = CamtSamples.Statement(CamtSamples.Entry("58.72", $"SALEX {number}", "A-1",
            "<DtTm>2018-03-05T10:15:00-06:00</DtTm>"),
            servicer: "<Nm>Banco Agrícola</Nm>").Replace("<Othr><Id>ISSS-SALEX</Id></Othr>",
                "<IBAN>SV43AGRI00000000001234567</IBAN>");
        var summary = (await (await Host.PostBankFileAsync(Encoding.UTF8.GetBytes(xml), contentType: "application/xml"))
            .ReadAsJsonAsync<BankFileSummary>())!;
        summary.Outcomes["Applied"].ShouldBe(1);
        (await ReportAsync(summary.FileId)).Lines.Single().BankCode.ShouldBe("AGRICOLA");
    }

    [Fact]
    public async Task a_malformed_line_is_reported_with_its_raw_text_and_the_file_is_not_all_read()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var summary = await Host.ImportCsvAsync(Csv(
            $"AGRICOLA,M-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
            $"AGRICOLA,M-2,2018-03-05T10:15:00-06:00,{number},58.7.2,ONLINE"));

        (summary.Balanced, summary.AllRead, summary.Outcomes["Malformed"]).ShouldBe((true, false, 1));
        var unread = summary.Unread.ShouldHaveSingleItem();
        (unread.Line, unread.Reason.Contains("58.7.2")).ShouldBe((3, true));
    }
}
