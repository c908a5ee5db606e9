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
}
