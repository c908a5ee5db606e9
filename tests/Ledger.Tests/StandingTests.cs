using Salex.Ledger.Accounts;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class StandingTests
{
    private static Standing On(Account account, NodaTime.LocalDate date, RegimeRules? rules = null) =>
        Standing.On(account, date, Regime.Default with { Rules = rules ?? Rules });

    /// <summary>2018-02 paid 5 days late on 2018-03-05 (55.92 + 2.80), written by hand.</summary>
    private static Account FebruaryPaidLate() => Enrolled2018().ApplyAll([
        new ContributionPaid(Source(D(2018, 3, 5)), [new PeriodPayment(P(2018, 2), 55.92m, 5, 0.05m, 2.80m)]),
    ]);

    [Theory]
    [InlineData(2018, 1, 5)]  // before the enrolment
    [InlineData(2018, 1, 10)] // enrolment day
    [InlineData(2018, 1, 31)] // last day before the first period
    public void before_the_first_period_the_account_is_not_covered(int y, int m, int d)
    {
        var standing = On(Enrolled2018(), D(y, m, d));
        standing.Status.ShouldBe(RightsStatus.NotCovered);
        standing.HasRights.ShouldBeFalse();
        standing.Overdue.ShouldBeEmpty();
        standing.CoveredThrough.ShouldBeNull();
    }

    [Theory]
    [InlineData(2018, 2, 1)]
    [InlineData(2018, 2, 10)]
    [InlineData(2018, 2, 28)] // the due date itself is not late
    public void during_the_first_period_before_or_on_its_due_date_the_account_is_active(int y, int m, int d)
    {
        var standing = On(Enrolled2018(), D(y, m, d));
        standing.Status.ShouldBe(RightsStatus.Active);
        standing.HasRights.ShouldBeTrue();
        standing.PaidThrough.ShouldBeNull();
        standing.CoveredThrough.ShouldBe(P(2018, 2));
        standing.Overdue.ShouldBeEmpty();
        standing.ArrearsTotal.ShouldBe(0m);
    }

    [Fact]
    public void the_day_after_the_due_date_an_unpaid_period_is_in_arrears_with_five_percent()
    {
        // 2018-02 due 2018-02-28; on 2018-03-01: 1 day, 55.92 × 0.05 = 2.796 → 2.80, total 58.72
        var standing = On(Enrolled2018(), D(2018, 3, 1));

        standing.Status.ShouldBe(RightsStatus.Arrears);
        standing.HasRights.ShouldBeFalse();
        standing.PaidThrough.ShouldBeNull();
        standing.CoveredThrough.ShouldBeNull();
        var overdue = standing.Overdue.ShouldHaveSingleItem();
        overdue.Period.ShouldBe(P(2018, 2));
        overdue.DueDate.ShouldBe(D(2018, 2, 28));
        overdue.Base.ShouldBe(55.92m);
        overdue.DaysLate.ShouldBe(1);
        overdue.SurchargeRate.ShouldBe(0.05m);
        overdue.Surcharge.ShouldBe(2.80m);
        overdue.Total.ShouldBe(58.72m);
        standing.ArrearsTotal.ShouldBe(58.72m);
    }

    [Fact]
    public void on_the_sixteenth_day_late_the_arrears_carry_ten_percent()
    {
        // 2018-02-28 → 2018-03-16 = 16 days; 55.92 × 0.10 = 5.592 → 5.59; total 61.51
        var overdue = On(Enrolled2018(), D(2018, 3, 16)).Overdue.ShouldHaveSingleItem();
        overdue.DaysLate.ShouldBe(16);
        overdue.SurchargeRate.ShouldBe(0.10m);
        overdue.Surcharge.ShouldBe(5.59m);
        overdue.Total.ShouldBe(61.51m);
    }

    [Fact]
    public void a_late_payment_restores_rights_only_from_the_day_it_was_paid()
    {
        var account = FebruaryPaidLate();

        // 2018-03-04: the money was not paid yet → arrears, 4 days late, 2.80
        var before = On(account, D(2018, 3, 4));
        before.Status.ShouldBe(RightsStatus.Arrears);
        before.Overdue.ShouldHaveSingleItem().DaysLate.ShouldBe(4);
        before.ArrearsTotal.ShouldBe(58.72m);

        // 2018-03-05: paid that day → active again, covered through the month in course
        var after = On(account, D(2018, 3, 5));
        after.Status.ShouldBe(RightsStatus.Active);
        after.PaidThrough.ShouldBe(P(2018, 2));
        after.CoveredThrough.ShouldBe(P(2018, 3));
        after.Overdue.ShouldBeEmpty();
    }

    [Fact]
    public void a_period_paid_later_does_not_cover_an_earlier_date_in_retrospect()
    {
        // Asked about 2018-03-02 after the payment of 2018-03-05 was recorded: still arrears then.
        var standing = On(FebruaryPaidLate(), D(2018, 3, 2));
        standing.Status.ShouldBe(RightsStatus.Arrears);
        standing.PaidThrough.ShouldBeNull();
    }

    [Fact]
    public void arrears_of_several_periods_are_listed_with_their_own_days_late_and_totals()
    {
        // On 2018-04-10, nothing paid:
        // 2018-02 due 02-28 → 41 days → 10 % → 5.59 → 61.51
        // 2018-03 due 03-28 → 13 days →  5 % → 2.80 → 58.72
        // 2018-04 due 04-30 → not yet due
        // total 61.51 + 58.72 = 120.23
        var standing = On(Enrolled2018(), D(2018, 4, 10));

        standing.Status.ShouldBe(RightsStatus.Arrears);
        standing.Overdue.Select(o => (o.Period, o.DueDate, o.DaysLate, o.SurchargeRate, o.Surcharge, o.Total)).ShouldBe([
            (P(2018, 2), D(2018, 2, 28), 41, 0.10m, 5.59m, 61.51m),
            (P(2018, 3), D(2018, 3, 28), 13, 0.05m, 2.80m, 58.72m),
        ]);
        standing.ArrearsTotal.ShouldBe(120.23m);
    }

    [Fact]
    public void spec_arrears_example_on_2018_03_29_is_period_2018_03_one_day_late()
    {
        // 2018-02 paid on time; 2018-03 due 2018-03-28 (Holy Week) → on 2018-03-29 one day late: 58.72
        var account = Enrolled2018().ApplyAll([PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m))]);

        var standing = On(account, D(2018, 3, 29));

        standing.Status.ShouldBe(RightsStatus.Arrears);
        standing.PaidThrough.ShouldBe(P(2018, 2));
        standing.CoveredThrough.ShouldBe(P(2018, 2));
        var overdue = standing.Overdue.ShouldHaveSingleItem();
        overdue.Period.ShouldBe(P(2018, 3));
        overdue.DueDate.ShouldBe(D(2018, 3, 28));
        overdue.DaysLate.ShouldBe(1);
        overdue.Surcharge.ShouldBe(2.80m);
        standing.ArrearsTotal.ShouldBe(58.72m);
    }

    [Fact]
    public void on_28_march_2018_period_2018_03_is_not_yet_late()
    {
        var account = Enrolled2018().ApplyAll([PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m))]);
        On(account, D(2018, 3, 28)).Status.ShouldBe(RightsStatus.Active);
    }

    [Fact]
    public void arrears_after_the_rate_change_use_the_new_rate()
    {
        // Enrolled 2022-04-10, first period 2022-05, due 2022-05-31. On 2022-06-10: 10 days → 68.04 × 0.05 = 3.40; 71.44
        var account = NewAccount(Enrolled(D(2022, 4, 10), P(2022, 5)));
        var overdue = On(account, D(2022, 6, 10)).Overdue.ShouldHaveSingleItem();
        overdue.Base.ShouldBe(68.04m);
        overdue.DaysLate.ShouldBe(10);
        overdue.Surcharge.ShouldBe(3.40m);
        overdue.Total.ShouldBe(71.44m);
    }

    [Fact]
    public void periods_paid_in_advance_extend_the_coverage()
    {
        // 2018-02..2018-06 paid on 2018-02-20; on 2018-04-15 active, covered through 2018-06.
        var account = Enrolled2018().ApplyAll([
            PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m)),
            new AdvancePaid(Source(D(2018, 2, 20), "R1"), [
                new PeriodPayment(P(2018, 3), 55.92m, 0, 0m, 0m),
                new PeriodPayment(P(2018, 4), 55.92m, 0, 0m, 0m),
                new PeriodPayment(P(2018, 5), 55.92m, 0, 0m, 0m),
                new PeriodPayment(P(2018, 6), 55.92m, 0, 0m, 0m),
            ]),
        ]);

        var standing = On(account, D(2018, 4, 15));
        standing.Status.ShouldBe(RightsStatus.Active);
        standing.PaidThrough.ShouldBe(P(2018, 6));
        standing.CoveredThrough.ShouldBe(P(2018, 6));

        // 2018-07 due 2018-07-31 (Tuesday); on 2018-08-01 it is one day late.
        var later = On(account, D(2018, 8, 1));
        later.Status.ShouldBe(RightsStatus.Arrears);
        later.Overdue.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 7));
    }

    [Fact]
    public void with_rights_during_arrears_the_account_stays_active_but_lists_the_overdue_periods()
    {
        var lenient = RegimeRules.Default with { RightsDuringArrears = true };
        var standing = On(Enrolled2018(), D(2018, 3, 1), lenient);
        standing.Status.ShouldBe(RightsStatus.Active);
        standing.Overdue.ShouldHaveSingleItem().Total.ShouldBe(58.72m);
    }

    [Fact]
    public void after_three_consecutive_overdue_unpaid_periods_the_episode_has_lapsed()
    {
        // Nothing paid; on 2018-05-01, 2018-02 (due 02-28), 2018-03 (due 03-28) and 2018-04 (due 04-30) are overdue.
        // The lapse takes effect that day (the day after 04-30); no period was ever paid, so none stays covered.
        var standing = On(Enrolled2018(), D(2018, 5, 1));
        standing.Status.ShouldBe(RightsStatus.Lapsed);
        standing.HasRights.ShouldBeFalse();
        standing.Overdue.ShouldBeEmpty();
        standing.End.ShouldBe(new EpisodeEnd(D(2018, 5, 1), LapseReason.NonPayment, null));
    }
}
