using Alba;
using Salex.Ledger.Api.Features.Accounts;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The attacker's defects 5 and 6 (today 2026-12-06 in El Salvador): enrolled 2026-11-10 (first period 2026-12,
/// 68.04), nothing paid, withdrawal effective 2026-12-03; money paid 2026-12-02 arrives afterwards. It is dated inside
/// the first episode, so it is judged against that episode whether or not the person enrolled again on 2026-12-05,
/// and the account summary's episode says the same last covered period as the rights answer.
/// </summary>
public sealed class EarlierEpisodeMoneyApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const decimal Rate = 68.04m;

    /// <summary>Enrolled 2026-11-10, withdrawn from 2026-12-03, perhaps enrolled again on 2026-12-05 (with its first
    /// period when given); today 2026-12-06.</summary>
    private async Task<string> WithdrawnAsync(bool enrolledAgain, string? firstPeriodAgain = null)
    {
        var dui = Scenarios.NewDui();
        Today(2026, 11, 10);
        var number = await EnrolAsync(dui, "2026-11-10");
        Today(2026, 12, 3);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { effectiveOn = "2026-12-03" }).ToUrl($"/api/insured/{number}/withdraw");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(200);
        });
        if (enrolledAgain)
        {
            Today(2026, 12, 5);
            (await EnrolAsync(dui, "2026-12-05", firstPeriod: firstPeriodAgain)).ShouldBe(number);
        }
        Today(2026, 12, 6);
        return number;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task defect_5_a_bank_line_dated_inside_the_first_episode_pays_it_whether_or_not_the_person_enrolled_again(
        bool enrolledAgain
    )
    {
        var number = await WithdrawnAsync(enrolledAgain);

        var file = await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,E5-1,2026-12-02T10:00:00-06:00,{number},68.04,ONLINE"));
        (file.Outcomes["Applied"], file.Outcomes["Refused"], file.Contributions, file.RefundsDue).ShouldBe((1, 0, Rate, 0m));
        file.Balanced.ShouldBeTrue();

        // It pays 2026-12 of episode 1: covered that month, on the day it was paid and after the withdrawal.
        var paidDay = await Host.RightsAsync(number, "2026-12-02");
        (paidDay.Status, paidDay.CoveredThrough).ShouldBe(("Active", "2026-12"));
        var today = await Host.RightsAsync(number, "2026-12-06");
        (today.Status, today.CoveredThrough).ShouldBe(("Lapsed", "2026-12"));
        var summary = await Host.SummaryAsync(number);
        summary.Episodes[0].LastCoveredPeriod.ShouldBe("2026-12");
        // The new episode (first period 2027-01) has nothing paid: the money was not its.
        summary.PaidThrough.ShouldBe(enrolledAgain ? null : "2026-12");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task defect_5_the_payments_api_judges_money_dated_inside_the_first_episode_the_same_way(bool enrolledAgain)
    {
        var number = await WithdrawnAsync(enrolledAgain);

        var paid = await Host.PayAsync(number, "2026-12-02", Rate);
        paid.Allocations.Select(a => (a.Period, a.Base, a.Surcharge)).ShouldBe([("2026-12", Rate, 0m)]);
        (await Host.RightsAsync(number, "2026-12-06")).CoveredThrough.ShouldBe("2026-12");

        // Money dated on or after the withdrawal day had no open episode either way (422), never "before the enrolment".
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2026-12-04", Rate, "E5-3")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(422);
        });
        (await result.ProblemAsync()).Errors!.Keys.ShouldBe(["affiliationNumber"]);
    }

    [Fact]
    public async Task defect_5_money_of_the_first_episode_never_pays_a_month_the_new_episode_covers()
    {
        // Enrolled again on 2026-12-05 with first period 2026-12: that month is the new episode's.
        var number = await WithdrawnAsync(enrolledAgain: true, firstPeriodAgain: "2026-12");

        await Host.PayAsync(number, "2026-12-02", Rate, expectedStatus: 422);
        var file = await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,E5-2,2026-12-02T10:00:00-06:00,{number},68.04,ONLINE"));
        (file.Outcomes["PartlyBeyondAdvanceLimit"], file.Contributions, file.RefundsDue).ShouldBe((1, 0m, Rate));
        var summary = await Host.SummaryAsync(number);
        (summary.PaidThrough, summary.Episodes[0].LastCoveredPeriod).ShouldBe((null, null));
    }

    [Fact]
    public async Task defect_6_the_summary_and_the_rights_answer_agree_on_the_last_covered_period_of_the_ended_episode()
    {
        var number = await WithdrawnAsync(enrolledAgain: false);
        (await Host.SummaryAsync(number)).Episodes[0].LastCoveredPeriod.ShouldBeNull(); // nothing paid yet

        await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,E6-1,2026-12-02T10:00:00-06:00,{number},68.04,ONLINE"));

        var summary = await Host.SummaryAsync(number);
        var rights = await Host.RightsAsync(number, "2026-12-06");
        (summary.PaidThrough, summary.Episodes[0].LastCoveredPeriod, rights.CoveredThrough)
            .ShouldBe(("2026-12", "2026-12", "2026-12"));
    }

    private async Task<string> EnrolAsync(string dui, string enrolledOn, string? firstPeriod = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui, enrolledOn: enrolledOn, firstPeriod: firstPeriod)).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<Features.Enrolling.EnrolResponse>())!.AffiliationNumber;
    }
}
