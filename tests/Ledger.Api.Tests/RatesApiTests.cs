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
    public async Task a_row_may_not_be_back_dated_to_the_current_month_nor_before_the_last_row()
    {
        var earlier = await (await AddRateAsync("2021-06", 400m, 409)).ProblemAsync();
        earlier.Errors!.ShouldContainKey("firstPeriod");
        var current = await (await AddRateAsync("2026-11", 400m, 409)).ProblemAsync();   // today is 2026-11-23
        current.Errors!.ShouldContainKey("firstPeriod");
        current.Detail!.ShouldContain("2026-11");

        (await (await AddRateAsync("2027-13", 400m, 400)).ProblemAsync()).Errors!.ShouldContainKey("firstPeriod");
        (await (await AddRateAsync("2027-02", -1m, 400)).ProblemAsync()).Errors!.ShouldContainKey("minimumWage");

        await AddRateAsync("2027-02", 400m, 201);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Count.ShouldBe(3);
    }

    [Fact]
    public async Task a_row_over_periods_paid_in_advance_is_added_and_those_periods_stay_paid()
    {
        // SPEC §1: "A period paid in advance stays paid if the rate schedule changes later". Paid on 2026-11-23:
        // 2026-12 and 2027-01 in advance at 365 (2 × 68.04). A row 2027-01 → 400 (400 × 2 × 9.32 % = 74.56) is
        // accepted; 2027-01 keeps its 68.04, and the next payment buys 2027-02 at 74.56.
        var number = await Host.EnrolAsync(enrolledOn: "2026-11-10");
        await Host.PayAsync(number, "2026-11-23", 2 * 68.04m);
        await AddRateAsync("2027-01", 400m, 201);

        var summary = await Host.GetJsonAsync<Features.Accounts.AccountSummary>($"/api/insured/{number}", Keys.Finance);
        summary.PaidThrough.ShouldBe("2027-01");
        var next = await Host.PayAsync(number, "2026-11-23", 74.56m, reference: "000912346");
        next.Allocations.Select(a => (a.Period, a.Base)).ShouldBe([("2027-02", 74.56m)]);
        next.Credit.ShouldBe(0m);
    }

    [Fact]
    public async Task a_row_over_periods_paid_in_advance_before_it_can_still_be_withdrawn_until_a_payment_uses_it()
    {
        // 2026-12 and 2027-01 paid in advance at 68.04 before the row 2027-01 → 400 (74.56) was added: the row priced
        // nothing, so a mistaken row can still be withdrawn (before, it could never be withdrawn once added). A row
        // 2027-02 → 410 (76.42) that then prices a payment stays.
        var number = await Host.EnrolAsync(enrolledOn: "2026-11-10");
        await Host.PayAsync(number, "2026-11-23", 2 * 68.04m);
        await AddRateAsync("2027-01", 400m, 201);

        var withdrawal = await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-01", reason = "typo" });
        await DecideAsync(withdrawal.Id, "approve", 200, Keys.Admin);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Select(r => r.FirstPeriod).ShouldBe(["2017-10", "2022-01"]);

        await AddRateAsync("2027-02", 410m, 201);
        var paid = await Host.PayAsync(number, "2026-11-23", 76.42m, reference: "000912346");
        paid.Allocations.Select(a => (a.Period, a.Base)).ShouldBe([("2027-02", 76.42m)]);
        await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-02", reason = "typo" }, 409);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Count.ShouldBe(3);
    }

    [Fact]
    public async Task only_the_policy_admin_and_admin_roles_add_rows()
    {
        await AddRateAsync("2027-01", 400m, 403, Keys.Finance);
        await AddRateAsync("2027-01", 400m, 403, Keys.Auditor);
        await AddRateAsync("2027-01", 400m, 201, Keys.Admin);
    }

    [Theory]
    [InlineData("9999-12", 400, "firstPeriod")]        // past the 24-month horizon: would block every real row after it
    [InlineData("2028-12", 400, "firstPeriod")]        // today is 2026-11; the horizon ends 2028-11
    [InlineData("2027-01", 452108757860.69, "minimumWage")]
    [InlineData("2027-01", 99.99, "minimumWage")]
    [InlineData("2027-01", 2000.01, "minimumWage")]
    public async Task an_implausible_row_is_refused_and_changes_nothing(string firstPeriod, decimal minimumWage, string field)
    {
        (await (await AddRateAsync(firstPeriod, minimumWage, 400)).ProblemAsync()).Errors!.Keys.ShouldBe([field]);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Count.ShouldBe(2);
        await AddRateAsync("2028-11", 2000m, 201);
    }

    private async Task<RateProposalView> ProposeAsync(object body, int expectedStatus = 201, string key = Keys.PolicyAdmin)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/rates/proposals");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(expectedStatus);
        });
        return expectedStatus == 201 ? (await result.ReadAsJsonAsync<RateProposalView>())! : null!;
    }

    private Task<IScenarioResult> DecideAsync(Guid id, string decision, int expectedStatus, string key, object? body = null) =>
        Host.Scenario(s =>
        {
            s.Post.Json(body ?? new { }).ToUrl($"/api/rates/proposals/{id}/{decision}");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(expectedStatus);
        });

    /// <summary>
    /// A proposal id that is not a GUID was answered by the framework (the route took a Guid) with a 404 naming
    /// nothing; it is problem details naming <c>id</c>, like a GUID no proposal has.
    /// </summary>
    [Theory]
    [InlineData("approve", "nope")]
    [InlineData("reject", "nope")]
    [InlineData("approve", "12345")]
    [InlineData("reject", "00000000-0000-0000-0000-00000000000g")]
    public async Task a_proposal_id_that_is_not_a_guid_is_a_404_naming_id(string decision, string id)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { reason = "no" }).ToUrl($"/api/rates/proposals/{id}/{decision}");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(404);
        });
        var problem = await result.ProblemAsync();
        problem.Errors!.Keys.ShouldBe(["id"]);
        problem.Errors["id"].Single().ShouldContain(id);
        var unknown = await (await DecideAsync(Guid.NewGuid(), decision, 404, Keys.Admin, new { reason = "no" })).ProblemAsync();
        unknown.Errors!.Keys.ShouldBe(["id"]);
    }

    [Fact]
    public async Task an_unused_row_is_corrected_only_when_a_second_person_approves()
    {
        await AddRateAsync("2027-03", 400m, 201);
        var proposal = await ProposeAsync(new { kind = "Correct", firstPeriod = "2027-03", minimumWage = 410m, reason = "Decree 12 says 410" });
        proposal.Status.ShouldBe("Open");
        proposal.ProposedBy.ShouldBe("dev-policy-admin");
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows[^1].MinimumWage.ShouldBe(400m);   // nothing yet

        var own = await (await DecideAsync(proposal.Id, "approve", 409, Keys.PolicyAdmin)).ProblemAsync();
        own.Errors!.Keys.ShouldBe(["approvedBy"]);
        await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-03", reason = "twice" }, 409);   // one pending change a row

        var approved = (await (await DecideAsync(proposal.Id, "approve", 200, Keys.Admin)).ReadAsJsonAsync<RateScheduleView>())!;
        approved.Rows[^1].MinimumWage.ShouldBe(410m);
        approved.Rows[^1].MonthlyContribution.ShouldBe(76.42m);   // 410 × 2 × 9.32 % = 76.424
        await DecideAsync(proposal.Id, "approve", 409, Keys.Admin);
        var listed = await Host.GetJsonAsync<List<RateProposalView>>("/api/rates/proposals", Keys.Auditor);
        (listed.Single().Status, listed.Single().DecidedBy).ShouldBe(("Approved", "dev-admin"));

        var history = await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{RateScheduleCache.StreamId}/history", Keys.Auditor);
        history.Events.Select(e => e.Type).TakeLast(3).ShouldBe(["rate_change_proposed", "rate_change_approved", "rate_corrected"]);
    }

    [Fact]
    public async Task a_row_is_withdrawn_by_two_people_and_a_rejected_proposal_changes_nothing()
    {
        await AddRateAsync("2027-03", 400m, 201);
        var rejected = await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-03", reason = "typed in the wrong month" });
        (await (await DecideAsync(rejected.Id, "reject", 400, Keys.Admin, new { reason = " " })).ProblemAsync()).Errors!.Keys.ShouldBe(["reason"]);
        await DecideAsync(rejected.Id, "reject", 200, Keys.Admin, new { reason = "the month is right" });
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Count.ShouldBe(3);

        var withdrawal = await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-03", reason = "the decree was annulled" });
        await DecideAsync(withdrawal.Id, "approve", 200, Keys.Admin);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows.Select(r => r.FirstPeriod).ShouldBe(["2017-10", "2022-01"]);
    }

    [Fact]
    public async Task a_row_that_a_payment_used_cannot_be_changed_not_even_when_the_payment_came_after_the_proposal()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2026-11-10");
        await AddRateAsync("2027-01", 400m, 201);
        var proposal = await ProposeAsync(new { kind = "Correct", firstPeriod = "2027-01", minimumWage = 410m, reason = "typo" });
        await Host.PayAsync(number, "2026-11-23", 68.04m + 74.56m);   // pays 2026-12 and 2027-01, the latter at 400

        var used = await (await DecideAsync(proposal.Id, "approve", 409, Keys.Admin)).ProblemAsync();
        used.Errors!.Keys.ShouldBe(["firstPeriod"]);
        (await Host.GetJsonAsync<RateScheduleView>("/api/rates")).Rows[^1].MinimumWage.ShouldBe(400m);
        await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-01", reason = "typo" }, 409);
        await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2017-10", reason = "first row" }, 409);
        await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-05", reason = "no such row" }, 404);
        await ProposeAsync(new { kind = "Erase", firstPeriod = "2027-01", reason = "?" }, 400);
        await ProposeAsync(new { kind = "Withdraw", firstPeriod = "2027-01", reason = "finance" }, 403, Keys.Finance);
    }
}
