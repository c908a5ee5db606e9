using Alba;
using Salex.Ledger.Api.Features.Banks;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The registry of partner banks: seeded, extended by finance, and the only banks that bring money.</summary>
public sealed class PartnerBankApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Task<IScenarioResult> RegisterAsync(object body, int expectedStatus, string key = Keys.Finance) =>
        Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/banks");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(expectedStatus);
        });

    [Fact]
    public async Task the_seeded_banks_are_listed_and_finance_registers_another()
    {
        var seeded = await Host.GetJsonAsync<PartnerBanksView>("/api/banks", Keys.Auditor);
        seeded.Banks.Select(b => b.Code).ShouldBe(["AGRICOLA", "CUSCATLAN", "DAVIVIENDA", "PROMERICA", "HIPOTECARIO"]);

        var after = (await (await RegisterAsync(new { code = " bac ", name = "BAC Credomatic", bics = new[] { "bamcsvss" } }, 201))
            .ReadAsJsonAsync<PartnerBanksView>())!;

        (after.Banks[^1].Code, after.Banks[^1].Name, after.Banks[^1].Bics.Single()).ShouldBe(("BAC", "BAC Credomatic", "BAMCSVSS"));
        var history = await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{PartnerBankRegistry.StreamId}/history", Keys.Auditor);
        history.Events[^1].Type.ShouldBe("partner_bank_registered");
        history.Events[^1].Metadata.RecordedBy.ShouldBe("dev-finance (finance)");
    }

    [Theory]
    [InlineData("../../ETC/PASSWD", "code")]
    [InlineData("AB/CD", "code")]
    [InlineData("A", "code")]
    [InlineData("AGRICOLA", "code")]                  // already registered: 409
    public async Task a_bank_code_that_is_not_a_plain_new_code_is_refused(string code, string field)
    {
        var status = code == "AGRICOLA" ? 409 : 400;
        (await (await RegisterAsync(new { code, name = "Some bank" }, status)).ProblemAsync()).Errors!.Keys.ShouldBe([field]);
        (await Host.GetJsonAsync<PartnerBanksView>("/api/banks")).Banks.Count.ShouldBe(5);
    }

    [Fact]
    public async Task a_bad_bic_or_a_missing_name_is_refused_and_only_finance_and_admin_register()
    {
        (await (await RegisterAsync(new { code = "BAC", name = "BAC", bics = new[] { "NOT A BIC" } }, 400)).ProblemAsync())
            .Errors!.Keys.ShouldBe(["bics[0]"]);
        (await (await RegisterAsync(new { code = "BAC", name = " " }, 400)).ProblemAsync()).Errors!.Keys.ShouldBe(["name"]);
        await RegisterAsync(new { code = "BAC", name = "BAC" }, 403, Keys.Auditor);
        await RegisterAsync(new { code = "BAC", name = "BAC" }, 403, Keys.Enrolment);
        await RegisterAsync(new { code = "BAC", name = "BAC" }, 201, Keys.Admin);
    }

    [Theory]
    [InlineData("PIGEON")]
    [InlineData("../../ETC/PASSWD")]
    [InlineData("AB/CD")]
    public async Task a_payment_from_a_bank_that_is_not_registered_is_refused_naming_the_bank_code(string bankCode)
    {
        var number = await Host.EnrolAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-03-05", 58.72m, "R-1", bankCode: bankCode)).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors!.Keys.ShouldBe(["bankCode"]);
        (await Host.EventCountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task a_file_from_an_unknown_bank_is_refused_whole_naming_it_and_imports_once_the_bank_is_registered()
    {
        var number = await Host.EnrolAsync();
        var csv = BankFiles.Csv(
            $"AGRICOLA,T-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
            $"PIGEON,T-2,2018-03-06T10:15:00-06:00,{number},55.92,ONLINE");

        var refused = await (await Host.PostBankFileAsync(System.Text.Encoding.UTF8.GetBytes(csv), 400)).ProblemAsync();

        refused.Detail!.ShouldContain("'PIGEON'");
        (await Host.EventCountAsync()).ShouldBe(1);   // the enrolment only: not even the file's stream
        await RegisterAsync(new { code = "PIGEON", name = "Banco Paloma" }, 201);
        var summary = await Host.ImportCsvAsync(csv);
        (summary.Lines, summary.Outcomes["Applied"]).ShouldBe((2, 2));
    }

    [Fact]
    public async Task a_statement_naming_its_bank_by_a_registered_bic_is_recorded_under_the_banks_code()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2024-02-10");   // first period 2024-03, 68.04
        await RegisterAsync(new { code = "BAC", name = "BAC Credomatic", bics = new[] { "BAMCSVSS" } }, 201);
        var xml = Salex.Ledger.Tests.CamtSamples.Statement(   // booked 2024-03-05
            Salex.Ledger.Tests.CamtSamples.Entry("68.04", $"SALEX {number}", "BAC-000001"), servicer: "<BICFI>BAMCSVSS</BICFI>");

        var summary = (await (await Host.PostBankFileAsync(System.Text.Encoding.UTF8.GetBytes(xml), contentType: "application/xml"))
            .ReadAsJsonAsync<Features.ImportingBankFiles.BankFileSummary>())!;

        summary.Outcomes["Applied"].ShouldBe(1);
        var day = (await Host.GetJsonAsync<Features.ImportingBankFiles.BankReconciliation>(
            "/api/reconciliation?from=2024-03-01&to=2024-03-31", Keys.Finance)).Days.ShouldHaveSingleItem();
        day.Bank.ShouldBe("BAC");
    }
}
