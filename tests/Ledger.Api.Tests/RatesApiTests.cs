using Alba;
using Salex.Ledger.Api.Features.Rates;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The rate schedule as events on the policy stream: seeded rows, a new row, no back-dating.</summary>
public sealed class RatesApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Task<IScenarioResult> AddRateAsync(string firstPeriod, decimal minimumWage, int expectedStatus, string key = Keys.PolicyAdmin) =>
        Host.Scenario(s =>
        {
            s.Post.Json(new { firstPeriod, minimumWage }).ToUrl("/api/rates");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(expectedStatus);
        });

    [Fact]
    public async Task the_two_known_rows_are_listed_to_every_reading_role()
    {
        var rates = await Host.GetJsonAsync<RateScheduleView>("/api/rates", Keys.RightsReader);
        rates.Rows.Select(r => (r.FirstPeriod, r.MinimumWage, r.MonthlyContribution)).ShouldBe([("2017-10", 300m, 55.92m), ("2022-01", 365m, 68.04m)]);
    }

    [Fact]
    public async Task a_new_row_prices_its_periods_and_leaves_earlier_ones_alone()
    {
        // Today is 2026-11-23; enrolled in November, the first period is 2026-12.
        var number = await Host.EnrolAsync(enrolledOn: "2026-11-10");
        await AddRateAsync("2027-01", 400m, 201);

        var rates = await Host.GetJsonAsync<RateScheduleView>("/api/rates", Keys.Finance);
        rates.Rows.Select(r => r.FirstPeriod).ShouldBe(["2017-10", "2022-01", "2027-01"]);
        rates.Rows[^1].MonthlyContribution.ShouldBe(74.56m);        // 400 × 2 × 9.32 %

        // One payment across the change: 2026-12 at 365 (68.04), 2027-01 at 400 (74.56).
        var payment = await Host.PayAsync(number, "2026-11-23", 68.04m + 74.56m);
        payment.Allocations.Select(a => (a.Period, a.Base)).ShouldBe([("2026-12", 68.04m), ("2027-01", 74.56m)]);
        payment.Credit.ShouldBe(0m);

        // The row is an event on the policy stream, seeded rows first.
        var history = await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{RateScheduleCache.StreamId}/history", Keys.Auditor);
        history.Events.Select(e => e.Type).ShouldBe(["rate_added", "rate_added", "rate_added"]);
        history.Events[2].Metadata.RecordedBy.ShouldBe("dev-policy-admin (policy-admin)");
    }

    [Fact]
    public async Task a_row_may_not_be_back_dated_to_a_paid_period_nor_before_the_last_row()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2026-11-10");
        await Host.PayAsync(number, "2026-11-23", 2 * 68.04m);      // pays 2026-12 and 2027-01 in advance at 365

        var paid = await (await AddRateAsync("2027-01", 400m, 409)).ProblemAsync();
        paid.Errors!.ShouldContainKey("firstPeriod");
        paid.Detail!.ShouldContain("2027-01");

        var earlier = await (await AddRateAsync("2021-06", 400m, 409)).ProblemAsync();
        earlier.Errors!.ShouldContainKey("firstPeriod");

        (await (await AddRateAsync("2027-13", 400m, 400)).ProblemAsync()).Errors!.ShouldContainKey("firstPeriod");
        (await (await AddRateAsync("2027-02", -1m, 400)).ProblemAsync()).Errors!.ShouldContainKey("minimumWage");

        await AddRateAsync("2027-02", 400m, 201);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Count.ShouldBe(3);
    }

    [Fact]
    public async Task only_the_policy_admin_and_admin_roles_add_rows()
    {
        await AddRateAsync("2027-01", 400m, 403, Keys.Finance);
        await AddRateAsync("2027-01", 400m, 403, Keys.Auditor);
        await AddRateAsync("2027-01", 400m, 201, Keys.Admin);
    }
}
