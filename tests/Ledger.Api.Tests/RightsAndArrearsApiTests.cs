using Alba;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class RightsAndArrearsApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task worked_example_arrears_on_the_day_after_the_holy_week_due_date()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-20", 55.92m); // 2018-02 on time

        var arrears = await Host.ArrearsAsync(number, "2018-03-29");

        var period = arrears.Periods.ShouldHaveSingleItem();
        period.Period.ShouldBe("2018-03");
        period.DueDate.ShouldBe("2018-03-28"); // 29–31 March 2018 are Holy Thursday, Good Friday, Holy Saturday
        period.DaysLate.ShouldBe(1);
        period.SurchargeRate.ShouldBe(0.05m);
        period.Surcharge.ShouldBe(2.80m);
        period.Total.ShouldBe(58.72m);
        arrears.Total.ShouldBe(58.72m);
    }

    [Fact]
    public async Task arrears_list_each_overdue_period_with_its_own_surcharge()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // On 2018-04-10: 2018-02 (due 02-28) is 41 days late → 10 % = 5.59; 2018-03 (due 03-28) 13 days → 5 % = 2.80.
        var arrears = await Host.ArrearsAsync(number, "2018-04-10");
        arrears.Periods.Select(p => (p.Period, p.DaysLate, p.Surcharge)).ShouldBe([("2018-02", 41, 5.59m), ("2018-03", 13, 2.80m)]);
        arrears.Total.ShouldBe(55.92m + 5.59m + 55.92m + 2.80m);
    }

    [Fact]
    public async Task paying_two_overdue_periods_charges_each_its_own_surcharge()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var payment = await Host.PayAsync(number, "2018-04-10", 55.92m + 5.59m + 55.92m + 2.80m);
        payment.Allocations.Select(a => (a.Period, a.SurchargeRate, a.Surcharge)).ShouldBe([("2018-02", 0.10m, 5.59m), ("2018-03", 0.05m, 2.80m)]);
        (await Host.ArrearsAsync(number, "2018-04-10")).Total.ShouldBe(0m);
    }

    [Fact]
    public async Task rights_are_not_covered_before_the_first_period()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var rights = await Host.RightsAsync(number, "2018-01-31");
        rights.Status.ShouldBe("NotCovered");
        rights.Covered.ShouldBeFalse();
    }

    [Fact]
    public async Task rights_are_active_in_the_first_period_before_its_due_date_and_suspended_the_day_after()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");

        var onDueDate = await Host.RightsAsync(number, "2018-02-28");
        onDueDate.Status.ShouldBe("Active");
        onDueDate.CoveredThrough.ShouldBe("2018-02");

        var dayAfter = await Host.RightsAsync(number, "2018-03-01");
        dayAfter.Status.ShouldBe("Arrears");
        dayAfter.Covered.ShouldBeFalse();
    }

    [Fact]
    public async Task a_late_payment_restores_rights_from_the_day_it_was_paid_not_before()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m);

        (await Host.RightsAsync(number, "2018-03-04")).Status.ShouldBe("Arrears");
        var restored = await Host.RightsAsync(number, "2018-03-05");
        restored.Status.ShouldBe("Active");
        restored.CoveredThrough.ShouldBe("2018-03");
    }

    [Fact]
    public async Task advance_payments_extend_covered_through()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 6 * 55.92m); // 2018-02 .. 2018-07
        (await Host.RightsAsync(number, "2018-03-10")).CoveredThrough.ShouldBe("2018-07");
    }

    [Fact]
    public async Task worked_example_the_advance_limit_in_the_summary()
    {
        Today(2024, 1, 15);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-15", 68.04m); // paid through 2024-01

        var summary = await Host.SummaryAsync(number);
        summary.PaidThrough.ShouldBe("2024-01");
        summary.LastPayablePeriod.ShouldBe("2025-01");
        summary.MonthsPayableInAdvance.ShouldBe(12);
        summary.Status.ShouldBe("Active");
        summary.ArrearsTotal.ShouldBe(0m);
    }

    [Fact]
    public async Task beneficiaries_share_the_insured_rights_and_a_child_stops_the_day_of_the_12th_birthday()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10", beneficiaries:
        [
            new { fullName = "Luis López", birthDate = "2006-03-15", relationship = "Child" },
            new { fullName = "Rosa Pérez", birthDate = "1987-01-20", relationship = "Spouse" },
        ]);
        await Host.PayAsync(number, "2018-02-01", 3 * 55.92m); // 2018-02 .. 2018-04

        var before = await Host.RightsAsync(number, "2018-03-14");
        before.Beneficiaries.Select(b => (b.Relationship, b.Covered)).ShouldBe([("Child", true), ("Spouse", true)]);
        var birthday = await Host.RightsAsync(number, "2018-03-15");
        birthday.Beneficiaries.Select(b => (b.Relationship, b.Covered)).ShouldBe([("Child", false), ("Spouse", true)]);

        var inArrears = await Host.RightsAsync(number, "2018-05-02"); // 2018-04 paid; 2018-05 not yet due → still active
        inArrears.Status.ShouldBe("Active");
        var lapsedRights = await Host.RightsAsync(number, "2018-06-01"); // 2018-05 due 05-31 unpaid
        lapsedRights.Beneficiaries.ShouldAllBe(b => !b.Covered);
    }

    [Fact]
    public async Task the_rights_answer_carries_no_address_country_or_contact_data()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/rights/{number}?on=2018-02-10");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
        });
        var text = await result.ReadAsTextAsync();
        text.ShouldNotContain("countryOfResidence");
        text.ShouldNotContain("\"US\"");
        text.ShouldNotContain("email");
        text.ShouldNotContain("ana@example.com");
    }

    [Fact]
    public async Task a_bad_date_is_a_400_naming_on()
    {
        var number = await Host.EnrolAsync();
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/rights/{number}?on=2018-02-30");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors!.ShouldContainKey("on");
    }

    [Fact]
    public async Task rights_of_an_unknown_account_are_404()
    {
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/rights/100000017");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(404);
        });
    }
}
