using Alba;
using Marten;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Features.Lapsing;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class LifecycleApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task three_unpaid_periods_lapse_the_episode_the_day_after_the_third_due_date_before_and_after_the_sweep()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // 2018-02 due 02-28, 2018-03 due 03-28 (Holy Week), 2018-04 due Monday 04-30: nothing paid.
        (await Host.RightsAsync(number, "2018-04-30")).Status.ShouldBe("Arrears");
        (await Host.RightsAsync(number, "2018-05-01")).Status.ShouldBe("Lapsed");   // the sweep has not run
        (await Host.ArrearsAsync(number, "2018-05-01")).Periods.ShouldBeEmpty();    // the overdue periods are not owed any more

        Today(2018, 5, 1);
        var first = await Sweep();
        first.Lapsed.ShouldBe([number]);
        var second = await Sweep();
        second.LapsesRecorded.ShouldBe(0);                                          // idempotent

        (await LapsedEvents(number)).ShouldBe(1);
        (await Host.RightsAsync(number, "2018-05-01")).Status.ShouldBe("Lapsed");
        (await Host.RightsAsync(number, "2018-04-30")).Status.ShouldBe("Arrears");  // past dates unchanged
    }

    [Fact]
    public async Task a_payment_after_the_lapse_is_refused_and_the_person_may_enrol_again_on_the_same_stream()
    {
        var dui = Scenarios.NewDui();
        var number = await EnrolWithDui(dui, "2018-01-10");
        await Host.PayAsync(number, "2018-06-05", 55.92m, expectedStatus: 422);

        Today(2026, 11, 23);
        var again = await EnrolWithDui(dui, "2026-11-20");
        again.ShouldBe(number);                                                     // one stream for life
        var summary = await Host.SummaryAsync(number);
        summary.Episodes.Count.ShouldBe(2);
        summary.Episodes[0].EndReason.ShouldBe("NonPayment");
        summary.Episodes[0].EndedOn.ShouldBe("2018-05-01");
        summary.FirstPeriod.ShouldBe("2026-12");
        (await Host.RightsAsync(number, "2026-12-10")).RestrictedServicesCovered.ShouldBeFalse(); // new waiting period
    }

    [Fact]
    public async Task an_open_episode_cannot_be_enrolled_twice()
    {
        var dui = Scenarios.NewDui();
        await EnrolWithDui(dui, "2026-11-20");
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui, enrolledOn: "2026-11-21")).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task return_keeps_coverage_six_months_refunds_periods_past_the_window_and_then_lapses()
    {
        Today(2024, 3, 10);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-05", 12 * 68.04m);                    // 2024-01 .. 2024-12

        var summary = await Return(number, "2024-03-10", 200);
        summary.Episodes[0].CoveredUntil.ShouldBe("2024-09-10");
        summary.Refunds.ShouldHaveSingleItem().Periods.ShouldBe(["2024-10", "2024-11", "2024-12"]);
        summary.RefundsTotal.ShouldBe(3 * 68.04m);                                   // 204.12
        summary.PaidThrough.ShouldBe("2024-09");

        (await Host.RightsAsync(number, "2024-09-10")).Status.ShouldBe("Active");    // last day of the window
        (await Host.RightsAsync(number, "2024-09-11")).Status.ShouldBe("Lapsed");
        await Return(number, "2024-03-09", 409);                                     // already returned
    }

    [Fact]
    public async Task after_a_return_payments_past_the_window_are_refused()
    {
        Today(2024, 3, 10);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Return(number, "2024-03-10", 200);                                     // covered until 2024-09-10
        // On 2024-03-10: 2024-01 (due 01-31) 39 days late → 68.04 + 6.80; 2024-02 (due 02-29) 10 days → 68.04 + 3.40;
        // 2024-03 .. 2024-09 on time: 7 × 68.04 = 476.28. Total 622.56. One period more would be 2024-10, past the window.
        await Host.PayAsync(number, "2024-03-10", 622.56m + 68.04m, expectedStatus: 422);
        var payment = await Host.PayAsync(number, "2024-03-10", 622.56m);
        payment.Allocations.Select(a => a.Period).ShouldBe(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09"]);
    }

    [Fact]
    public async Task withdrawal_ends_the_episode_and_refunds_the_periods_paid_after_it()
    {
        Today(2024, 4, 20);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-05", 8 * 68.04m);                     // 2024-01 .. 2024-08

        Today(2024, 5, 1);                                                           // recorded on its first day without coverage
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { effectiveOn = "2024-05-01" }).ToUrl($"/api/insured/{number}/withdraw");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(200);
        });
        var summary = (await result.ReadAsJsonAsync<AccountSummary>())!;
        summary.RefundsTotal.ShouldBe(4 * 68.04m);                                   // 2024-05 .. 2024-08: 272.16
        summary.Episodes[0].EndReason.ShouldBe("Withdrawal");
        (await Host.RightsAsync(number, "2024-04-30")).Status.ShouldBe("Active");
        (await Host.RightsAsync(number, "2024-05-01")).Status.ShouldBe("Lapsed");
    }

    [Fact]
    public async Task the_family_group_changes_as_events_with_its_rules()
    {
        Today(2024, 3, 1);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-05", 6 * 68.04m);

        var spouse = await AddBeneficiary(number, new { fullName = "Rosa Pérez", birthDate = "1987-01-20", relationship = "Spouse" }, 201);
        await AddBeneficiary(number, new { fullName = "Otra Pérez", birthDate = "1988-01-20", relationship = "Spouse" }, 409);
        await AddBeneficiary(number, new { fullName = "Luis", birthDate = "2012-03-01", relationship = "Child" }, 400);   // 12 today
        await AddBeneficiary(number, new { fullName = "Luis", birthDate = "2012-03-02", relationship = "Child" }, 201);   // 12 tomorrow
        await AddBeneficiary(number, new { fullName = "Bebé", birthDate = "2024-03-02", relationship = "Child" }, 400);   // not born yet

        var rights = await Host.RightsAsync(number, "2024-03-01");
        rights.Beneficiaries.Select(b => (b.Relationship, b.Covered)).ShouldBe([("Spouse", true), ("Child", true)]);
        (await Host.RightsAsync(number, "2024-03-02")).Beneficiaries.Single(b => b.Relationship == "Child").Covered.ShouldBeFalse();

        await Host.Scenario(s =>
        {
            s.Delete.Url($"/api/insured/{number}/beneficiaries/{spouse.Id}");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(204);
        });
        await AddBeneficiary(number, new { fullName = "Otra Pérez", birthDate = "1988-01-20", relationship = "Spouse" }, 201);
        (await Host.RightsAsync(number, "2024-02-15")).Beneficiaries.ShouldBeEmpty();  // none had been added by then
    }

    [Fact]
    public async Task restricted_services_are_covered_from_the_first_day_of_the_seventh_month_and_advance_payment_does_not_shorten_it()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-05", 12 * 68.04m);                   // all of 2024 in advance

        var before = await Host.RightsAsync(number, "2024-06-30");
        before.Covered.ShouldBeTrue();
        before.RestrictedServicesCovered.ShouldBeFalse();
        before.RestrictedServices.ShouldContain("Cancer");
        (await Host.RightsAsync(number, "2024-07-01")).RestrictedServicesCovered.ShouldBeTrue();
    }

    [Fact]
    public async Task rights_are_found_by_the_insureds_dui()
    {
        var dui = Scenarios.NewDui();
        var number = await EnrolWithDui(dui, "2018-01-10");
        var rights = await Host.GetJsonAsync<RightsAnswer>($"/api/rights?dui={dui}&on=2018-02-10", Keys.RightsReader);
        rights.AffiliationNumber.ShouldBe(number);
        rights.Status.ShouldBe("Active");
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/rights?dui=04567890-4");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task the_batch_query_answers_up_to_a_thousand_numbers_and_lists_the_unknown_ones()
    {
        var known = new[] { await Host.EnrolAsync(), await Host.EnrolAsync() };
        var numbers = known.Concat(Enumerable.Range(0, 998).Select(i => $"9{i:00000000}")).ToList();
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { affiliationNumbers = numbers, on = "2018-02-10" }).ToUrl("/api/rights/query");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(200);
        });
        var answer = (await result.ReadAsJsonAsync<RightsQueryAnswer>())!;
        answer.Results.Select(r => r.AffiliationNumber).ShouldBe(known);
        answer.Results.ShouldAllBe(r => r.Status == "Active");
        answer.NotFound.Count.ShouldBe(998);

        await Host.Scenario(s =>
        {
            s.Post.Json(new { affiliationNumbers = numbers.Append("1").Append("2") }).ToUrl("/api/rights/query");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(400);
        });
    }

    private async Task<string> EnrolWithDui(string dui, string enrolledOn)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui, enrolledOn: enrolledOn)).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<Features.Enrolling.EnrolResponse>())!.AffiliationNumber;
    }

    [Fact]
    public async Task a_bank_payment_made_on_the_lapse_day_but_imported_after_the_sweep_annuls_the_lapse()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // Nothing paid: the lapse takes effect on 2018-05-01, and the sweep records it early that day.
        Today(2018, 5, 1);
        (await Sweep()).Lapsed.ShouldBe([number]);
        (await Host.RightsAsync(number, "2018-05-01")).Status.ShouldBe("Lapsed");
        var toldThen = DateTimeOffset.UtcNow;

        // The bank's file of 2018-05-01 arrives the next day: 2018-02, 62 days late, 55.92 + 5.59, paid that morning.
        Today(2018, 5, 2);
        var file = await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,LATE-1,2018-05-01T09:30:00-06:00,{number},61.51,BRANCH"));

        (file.Outcomes["Applied"], file.RefundsDue).ShouldBe((1, 0m));
        (await Host.RightsAsync(number, "2018-05-01")).Status.ShouldBe("Arrears");
        await using var session = Fixture.Store.QuerySession();
        var types = (await session.Events.FetchStreamAsync(number)).Select(e => e.Data.GetType().Name).ToList();
        types.ShouldBe(["Enrolled", "Lapsed", "LapseAnnulled", "ContributionPaid"]);
        // An auditor still sees what the ledger said before the money arrived.
        var asKnown = await Host.GetJsonAsync<Salex.Ledger.Api.Features.CheckingRights.RightsAnswer>(
            $"/api/rights/{number}?on=2018-05-01&asOf={Uri.EscapeDataString(toldThen.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"))}", Keys.RightsReader);
        asKnown.Status.ShouldBe("Lapsed");
        // The next sweep, on 2018-06-01, records the lapse that now follows: 2018-03, -04 and -05 unpaid.
        Today(2018, 6, 1);
        (await Sweep()).Lapsed.ShouldBe([number]);
        (await Host.RightsAsync(number, "2018-06-01")).Status.ShouldBe("Lapsed");
    }

    private async Task<SweepReport> Sweep()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/lapse-sweep");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<SweepReport>())!;
    }

    private async Task<int> LapsedEvents(string number)
    {
        await using var session = Fixture.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(number);
        return events.Count(e => e.Data is Lapsed);
    }

    private async Task<AccountSummary> Return(string number, string returnedOn, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { returnedOn }).ToUrl($"/api/insured/{number}/return");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(status);
        });
        return status == 200 ? (await result.ReadAsJsonAsync<AccountSummary>())! : null!;
    }

    private async Task<BeneficiaryView> AddBeneficiary(string number, object body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl($"/api/insured/{number}/beneficiaries");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(status);
        });
        return status == 201 ? (await result.ReadAsJsonAsync<BeneficiaryView>())! : null!;
    }
}
