using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// The SPEC's rules at their edges: surcharge tiers counted from due dates that Holy Week, a leap February or a
/// year end moved; lapses whose third due date is a Holy Week or year-end date; the advance limit on 31 December
/// and 1 January; the waiting period of an enrolment on the 31st; a rate change inside an arrears payment. Every
/// expected figure is computed in the comment beside it from the SPEC's text, not from the code.
/// </summary>
public class SpecEdgeTests
{
    private static readonly Regime R = Regime.Default;
    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    // ---- Surcharge tiers (SPEC §1 Late payment: 5 % for 1 to 15 calendar days after the due date, 10 % from the
    // 16th day on) counted from due dates that are not the month's last day.

    [Theory]
    // Period 2024-03: Easter 2024-03-31, so 28–30 March are Holy Thursday, Good Friday, Holy Saturday and 31 is a
    // Sunday → due Wednesday 2024-03-27. Days late: 28..31 March = 4, plus the day of April.
    [InlineData(2024, 3, 2024, 3, 27, 0, "0", "0")]       // on the due date
    [InlineData(2024, 3, 2024, 3, 28, 1, "0.05", "3.40")] // Holy Thursday: already late; 68.04 × 0.05 = 3.402 → 3.40
    [InlineData(2024, 3, 2024, 4, 11, 15, "0.05", "3.40")] // 4 + 11 = 15 → last day at 5 %
    [InlineData(2024, 3, 2024, 4, 12, 16, "0.10", "6.80")] // 4 + 12 = 16 → 10 %; 68.04 × 0.10 = 6.804 → 6.80
    // Period 2023-12: 30 and 31 December 2023 are a weekend → due Friday 2023-12-29; 1 January is a holiday but days
    // late are calendar days: 30, 31 December = 2, plus the day of January.
    [InlineData(2023, 12, 2024, 1, 1, 3, "0.05", "3.40")]   // 2 + 1
    [InlineData(2023, 12, 2024, 1, 13, 15, "0.05", "3.40")] // 2 + 13
    [InlineData(2023, 12, 2024, 1, 14, 16, "0.10", "6.80")] // 2 + 14
    // Period 2024-02 (leap): Thursday 2024-02-29 is a business day → due 02-29; March days count from 1.
    [InlineData(2024, 2, 2024, 3, 15, 15, "0.05", "3.40")]
    [InlineData(2024, 2, 2024, 3, 16, 16, "0.10", "6.80")]
    // Period 2023-02: Tuesday 2023-02-28 → due 02-28.
    [InlineData(2023, 2, 2023, 3, 15, 15, "0.05", "3.40")]
    [InlineData(2023, 2, 2023, 3, 16, 16, "0.10", "6.80")]
    public void the_surcharge_tier_counts_calendar_days_from_the_moved_due_date(
        int py,
        int pm,
        int y,
        int m,
        int d,
        int daysLate,
        string rate,
        string surcharge
    )
    {
        var owed = PaymentAllocator.PeriodPaidOn(P(py, pm), D(y, m, d), Rates, Cal);
        owed.Base.ShouldBe(68.04m);
        owed.DaysLate.ShouldBe(daysLate);
        owed.SurchargeRate.ShouldBe(decimal.Parse(rate, Inv));
        owed.Surcharge.ShouldBe(decimal.Parse(surcharge, Inv));
        owed.Total.ShouldBe(68.04m + decimal.Parse(surcharge, Inv));
    }

    // ---- Lapse (SPEC §1: after 3 consecutive overdue unpaid periods; README: on the day after the due date of the
    // 3rd; money paid on that day still counts).

    [Fact]
    public void a_lapse_whose_third_due_date_holy_week_moved_takes_effect_on_holy_thursday()
    {
        // Enrolled 2023-12-20, first period 2024-01, nothing paid. Due: 2024-01 → Wed 01-31, 2024-02 → Thu 02-29,
        // 2024-03 → Wed 03-27 (Holy Week). The third is overdue from 2024-03-28: the lapse is that day.
        var account = NewAccount(Enrolled(D(2023, 12, 20), P(2024, 1)));

        // On 03-27: 2024-01 is 29 (Feb) + 27 = 56 days late → 10 % → 6.80 → 74.84;
        // 2024-02 is 27 days late → 10 % → 74.84; total 149.68.
        var before = Standing.On(account, D(2024, 3, 27), R);
        before.Status.ShouldBe(RightsStatus.Arrears);
        before.Overdue.Select(o => (o.Period, o.DaysLate, o.Total)).ShouldBe([(P(2024, 1), 56, 74.84m), (P(2024, 2), 27, 74.84m)]);
        before.ArrearsTotal.ShouldBe(149.68m);

        var after = Standing.On(account, D(2024, 3, 28), R);
        after.Status.ShouldBe(RightsStatus.Lapsed);
        after.End!.EffectiveOn.ShouldBe(D(2024, 3, 28));
        after.CoveredThrough.ShouldBeNull(); // nothing was paid: coverage ended before it began
        after.ArrearsTotal.ShouldBe(0m);
    }

    [Fact]
    public void a_lapse_whose_third_due_date_is_the_friday_before_new_year_takes_effect_on_saturday_30_december()
    {
        // Enrolled 2023-09-15, first period 2023-10, nothing paid. Due: 2023-10 → Tue 10-31, 2023-11 → Thu 11-30,
        // 2023-12 → Fri 12-29 (30, 31 a weekend). Lapse on Saturday 2023-12-30.
        var account = NewAccount(Enrolled(D(2023, 9, 15), P(2023, 10)));
        Standing.On(account, D(2023, 12, 29), R).Status.ShouldBe(RightsStatus.Arrears);
        Standing.On(account, D(2023, 12, 30), R).Status.ShouldBe(RightsStatus.Lapsed);
        EpisodeChanges.Sweep(account, D(2024, 1, 2), R)!.EffectiveOn.ShouldBe(D(2023, 12, 30));

        // Money paid on the lapse day itself avoids it: 2023-10 paid on 12-30 is 60 days late (30 Nov + 30 Dec)
        // → 10 % → 68.04 + 6.80 = 74.84. With 2023-10 paid, 2023-11 and 2023-12 are only two overdue periods.
        var paid = account.Pay(D(2023, 12, 30), 74.84m, "NY1");
        paid.PaidThrough.ShouldBe(P(2023, 10));
        EpisodeEnd.On(paid, paid.CurrentEpisode, D(2023, 12, 30), R).ShouldBeNull();
        var standing = Standing.On(paid, D(2023, 12, 30), R);
        standing.Status.ShouldBe(RightsStatus.Arrears);
        // 2023-11: 30 days late → 10 % → 74.84; 2023-12: 1 day late → 5 % → 3.40 → 71.44; total 146.28.
        standing.Overdue.Select(o => (o.Period, o.DaysLate, o.Total)).ShouldBe([(P(2023, 11), 30, 74.84m), (P(2023, 12), 1, 71.44m)]);
        standing.ArrearsTotal.ShouldBe(146.28m);
    }

    // ---- Advance limit (SPEC §1: on a payment date in month m, the last period that can be paid is m + 12).

    [Fact]
    public void on_31_december_the_limit_is_december_of_the_next_year_and_on_1_january_one_month_more()
    {
        // Enrolled 2023-11-20, first period 2023-12, 2023-12 paid on 2023-12-10.
        var account = NewAccount(Enrolled(D(2023, 11, 20), P(2023, 12)))
            .After(PaidOnTime(D(2023, 12, 10), "D1", (P(2023, 12), 68.04m)));

        // On 2023-12-31 (m = 2023-12): last payable 2024-12; 2024-01..2024-12 = 12 periods × 68.04 = 816.48.
        AdvanceCapacity.On(account, D(2023, 12, 31), Rules).ShouldBe(new AdvanceCapacity(P(2024, 12), 12));
        var twelve = Payments.Decide(account, new RecordPayment(D(2023, 12, 31), 816.48m, "AGRICOLA", "A12", Channel.Online), D(2023, 12, 31), R);
        twelve.Refusals.ShouldBeEmpty();
        twelve.Judgement!.Allocation!.Advances.Select(p => p.Period).ShouldBe(P(2024, 1).Through(P(2024, 12)));
        // 13 periods = 884.52 would pay 2025-01: refused on 31 December …
        Payments.Decide(account, new RecordPayment(D(2023, 12, 31), 884.52m, "AGRICOLA", "A13", Channel.Online), D(2023, 12, 31), R)
            .Refusals.ShouldHaveSingleItem().Kind.ShouldBe(RefusalKind.Unprocessable);
        // … and accepted on 1 January (m = 2024-01, last payable 2025-01; 2024-01 is then the current period).
        AdvanceCapacity.On(account, D(2024, 1, 1), Rules).ShouldBe(new AdvanceCapacity(P(2025, 1), 13));
        var thirteen = Payments.Decide(account, new RecordPayment(D(2024, 1, 1), 884.52m, "AGRICOLA", "A13", Channel.Online), D(2024, 1, 1), R);
        thirteen.Refusals.ShouldBeEmpty();
        thirteen.Judgement!.Allocation!.Contributions.ShouldHaveSingleItem().Period.ShouldBe(P(2024, 1));
        thirteen.Judgement.Allocation.Advances.Select(p => p.Period).ShouldBe(P(2024, 2).Through(P(2025, 1)));
    }

    // ---- Waiting period (SPEC §1: restricted services from the first day of the 7th coverage month).

    [Fact]
    public void an_enrolment_on_31_january_covers_restricted_services_from_1_august()
    {
        // Enrolled 2024-01-31 → first period 2024-02 (the month after). Paid each month on the 10th, on time.
        // Coverage months: 02, 03, 04, 05, 06, 07 → the 7th is 2024-08, from 2024-08-01.
        var account = NewAccount(Enrolled(D(2024, 1, 31), P(2024, 2)));
        for (var p = P(2024, 2); p <= P(2024, 9); p = p.Next())
            account = account.After(PaidOnTime(p.OnDayOfMonth(10), $"W{p.Month}", (p, 68.04m)));

        bool Covered(LocalDate date) =>
            WaitingPeriod.RestrictedServicesCovered(account, Standing.On(account, date, R), date, R);
        Covered(D(2024, 7, 31)).ShouldBeFalse();
        Covered(D(2024, 8, 1)).ShouldBeTrue();
    }

    // ---- Rate change inside an arrears payment (SPEC §1: each period at the row in force for it).

    [Fact]
    public void one_late_payment_of_2021_12_and_2022_01_charges_each_at_its_own_rate_and_surcharge()
    {
        // Enrolled 2021-10-05, first period 2021-11, 2021-11 paid on time. Paid 2022-02-10:
        // 2021-12 (US$300 row, 55.92) due Fri 2021-12-31 → 31 + 10 = 41 days → 10 % → 5.592 → 5.59 → 61.51;
        // 2022-01 (US$365 row, 68.04) due Mon 2022-01-31 → 10 days → 5 % → 3.402 → 3.40 → 71.44.
        // 61.51 + 71.44 = 132.95; 2022-02 (due 02-28) would need 68.04 more: not paid.
        var account = NewAccount(Enrolled(D(2021, 10, 5), P(2021, 11)))
            .After(PaidOnTime(D(2021, 11, 10), "N1", (P(2021, 11), 55.92m)));
        var allocation = Allocate(account, D(2022, 2, 10), 132.95m);

        allocation.Contributions.Select(p => (p.Period, p.Base, p.DaysLate, p.Surcharge)).ShouldBe([
            (P(2021, 12), 55.92m, 41, 5.59m),
            (P(2022, 1), 68.04m, 10, 3.40m),
        ]);
        allocation.Advances.ShouldBeEmpty();
        allocation.Remainder.ShouldBe(0m);
    }
}
