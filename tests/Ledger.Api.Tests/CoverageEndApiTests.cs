using Alba;
using Salex.Ledger.Api.Features.Accounts;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Issue 17's five reproductions through the API: withdrawal and return follow the same rules as a lapse.
/// Enrolled 2026-05-10 (first period 2026-06, 68.04 a month) unless said otherwise.
/// </summary>
public sealed class CoverageEndApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const decimal Rate = 68.04m;

    [Fact]
    public async Task reproduction_1_a_withdrawal_stops_later_payments_from_paying_periods_after_it()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2026-05-10");
        await Host.PayAsync(number, "2026-06-15", 6 * Rate);                          // 2026-06 .. 2026-11

        // On 2026-11-23 a withdrawal from 2026-12-15 is in the future: recorded on its first day without coverage.
        (await Withdraw(number, "2026-12-15", 400)).ShouldBeNull();
        Today(2026, 12, 20);
        var withdrawn = await Withdraw(number, "2026-12-15", 200);
        withdrawn!.Episodes[0].LastCoveredPeriod.ShouldBe("2026-11");

        // 136.08 dated 2026-11-23 would pay 2026-12 and 2027-01: the coverage ends with 2026-12.
        var before = await Host.EventCountAsync();
        await Host.PayAsync(number, "2026-11-23", 2 * Rate, expectedStatus: 422);
        (await Host.EventCountAsync()).ShouldBe(before);                             // nothing recorded
        var file = await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,W-1,2026-11-23T10:00:00-06:00,{number},136.08,ONLINE"));
        (file.Outcomes["PartlyBeyondAdvanceLimit"], file.Contributions, file.RefundsDue).ShouldBe((1, Rate, Rate));

        var summary = await Host.SummaryAsync(number);
        (summary.PaidThrough, summary.LastPayablePeriod, summary.MonthsPayableInAdvance).ShouldBe(("2026-12", null, 0));
    }

    [Fact]
    public async Task reproduction_1_back_dated_a_payment_dated_before_a_withdrawal_pays_only_the_months_it_covers()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-05", 2 * 55.92m);                       // 2018-02, 03
        await Withdraw(number, "2018-06-15", 200);

        // 279.60 dated 2018-04-10 would pay 2018-04 .. 08; 07 and 08 lie after the withdrawal.
        await Host.PayAsync(number, "2018-04-10", 5 * 55.92m, expectedStatus: 422);
        var paid = await Host.PayAsync(number, "2018-04-10", 3 * 55.92m);
        paid.Allocations.Select(a => a.Period).ShouldBe(["2018-04", "2018-05", "2018-06"]);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-06");
        (await Host.RightsAsync(number, "2018-06-10")).CoveredThrough.ShouldBe("2018-06");
    }

    [Fact]
    public async Task reproduction_2_after_a_withdrawal_covered_through_counts_what_was_paid_after_it_was_recorded()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Withdraw(number, "2018-03-20", 200);                                   // nothing paid yet
        (await Host.RightsAsync(number, "2018-03-25")).CoveredThrough.ShouldBeNull();

        await Host.PayAsync(number, "2018-02-20", 55.92m);                           // 2018-02, on time
        var rights = await Host.RightsAsync(number, "2018-03-25");
        (rights.Status, rights.CoveredThrough).ShouldBe(("Lapsed", "2018-02"));
        var before = await Host.RightsAsync(number, "2018-03-10");                   // 2018-03 is not due yet
        (before.Status, before.CoveredThrough).ShouldBe(("Active", "2018-03"));
    }

    [Fact]
    public async Task reproduction_3_the_account_summary_follows_the_return_window()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2026-05-10");
        await Host.PayAsync(number, "2026-06-15", 6 * Rate);                          // 2026-06 .. 2026-11
        var returned = await Return(number, "2026-11-20");                            // covered until 2027-05-20

        (returned.LastPayablePeriod, returned.MonthsPayableInAdvance).ShouldBe(("2027-05", 6));
        var summary = await Host.SummaryAsync(number);
        (summary.PaidThrough, summary.LastPayablePeriod, summary.MonthsPayableInAdvance).ShouldBe(("2026-11", "2027-05", 6));
        await Host.PayAsync(number, "2026-11-23", 7 * Rate, expectedStatus: 422);
        await Host.PayAsync(number, "2026-11-23", 6 * Rate);
        (await Host.SummaryAsync(number)).MonthsPayableInAdvance.ShouldBe(0);
    }

    [Fact]
    public async Task reproduction_4_a_later_return_does_not_change_the_answer_about_an_earlier_date()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2025-01-20");
        await Host.PayAsync(number, "2025-02-10", 12 * Rate);                         // 2025-02 .. 2026-01
        (await Host.RightsAsync(number, "2025-03-01")).CoveredThrough.ShouldBe("2026-01");

        await Return(number, "2025-03-15");                                           // window to 2025-09-15
        (await Host.RightsAsync(number, "2025-03-01")).CoveredThrough.ShouldBe("2026-01");
        (await Host.RightsAsync(number, "2025-03-15")).CoveredThrough.ShouldBe("2025-09");
        var after = await Host.RightsAsync(number, "2025-09-16");
        (after.Status, after.CoveredThrough).ShouldBe(("Lapsed", "2025-09"));
    }

    [Fact]
    public async Task reproduction_5_a_payment_dated_before_the_enrolment_is_a_bad_value()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-01-09", 55.92m, "B-1")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors!.Keys.ShouldBe(["paidOn"]);
        // 422 stays for money the coverage cannot take: after the lapse of 2018-05-01.
        await Host.PayAsync(number, "2018-05-02", 61.51m, expectedStatus: 422);
    }

    private async Task<AccountSummary?> Withdraw(string number, string effectiveOn, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { effectiveOn }).ToUrl($"/api/insured/{number}/withdraw");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(status);
        });
        return status == 200 ? await result.ReadAsJsonAsync<AccountSummary>() : null;
    }

    private async Task<AccountSummary> Return(string number, string returnedOn)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { returnedOn }).ToUrl($"/api/insured/{number}/return");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<AccountSummary>())!;
    }
}
