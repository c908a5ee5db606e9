using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Indicators;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// The indicators' rules on a small population written by hand (2018: US$55.92 a month; SPEC due dates: the last
/// business day of the month). Expected values are worked out in the comments, not taken from the code.
/// </summary>
public class ProgrammeTallyTests
{
    private static readonly LocalDate Today = D(2026, 11, 23);

    private static Enrolled Enrolment(string number, LocalDate on, YearMonth first, Sex? sex, string country,
        LocalDate? birth = null, params Beneficiary[] beneficiaries) =>
        new(number, "04567890-3", "Persona", birth ?? D(1985, 6, 2), country, null, on, first, beneficiaries,
            new EligibilityChecks(true, true, true), sex);

    private static ContributionPaid Paid(LocalDate on, YearMonth period, decimal surcharge = 0m) =>
        new(Source(on, $"R{on}{period}"), [new PeriodPayment(period, 55.92m, 0, 0m, surcharge)]);

    /// <summary>A: F, US, enrolled 2018-01-10, pays 02 and 03 on time, then nothing (lapses 2018-06-30, the day after
    /// the due date of its third unpaid period, 2018-06-29).</summary>
    private static Account A() => Account.Open(Enrolment("A", D(2018, 1, 10), P(2018, 2), Sex.F, "US"))
        .ApplyAll([Paid(D(2018, 2, 20), P(2018, 2)), Paid(D(2018, 3, 20), P(2018, 3))]);

    /// <summary>B: M, SE, enrolled 2018-02-05, pays 03 and 04 together on 2018-03-10 (04 in advance).</summary>
    private static Account B() => Account.Open(Enrolment("B", D(2018, 2, 5), P(2018, 3), Sex.M, "SE"))
        .ApplyAll([new AdvancePaid(Source(D(2018, 3, 10), "B1"), [new PeriodPayment(P(2018, 4), 55.92m, 0, 0m, 0m)]),
            Paid(D(2018, 3, 10), P(2018, 3))]);

    /// <summary>C: no sex declared, CA, aged 62 at the end of the period, a spouse; enrolled 2018-03-01, first
    /// period 04, never pays.</summary>
    private static Account C() => Account.Open(Enrolment("C", D(2018, 3, 1), P(2018, 4), null, "CA", D(1956, 1, 1),
        new Beneficiary(Guid.NewGuid(), "Cónyuge", D(1960, 1, 1), Relationship.Spouse)));

    private static ProgrammeFigures Tally(LocalDate from, LocalDate to, params Account[] accounts) =>
        ProgrammeTally.Of(accounts, from, to, Today, Regime.Default, IndicatorRules.Default);

    [Fact]
    public void the_months_of_a_period_are_cut_to_it()
    {
        var windows = ProgrammeTally.Windows(D(2018, 1, 15), D(2018, 3, 10));
        windows.Select(w => (w.Month, w.From, w.To)).ShouldBe([
            (P(2018, 1), D(2018, 1, 15), D(2018, 1, 31)),
            (P(2018, 2), D(2018, 2, 1), D(2018, 2, 28)),
            (P(2018, 3), D(2018, 3, 1), D(2018, 3, 10)),
        ]);
    }

    [Theory]
    [InlineData(1, "1-15")]
    [InlineData(15, "1-15")]
    [InlineData(16, "16-30")]
    [InlineData(30, "16-30")]
    [InlineData(31, "31-60")]
    [InlineData(60, "31-60")]
    [InlineData(61, "61-90")]
    [InlineData(90, "61-90")]
    [InlineData(91, "91+")]
    public void arrears_age_in_the_finance_units_bands(int days, string band) =>
        IndicatorBands.AgeingBandOf(days).ShouldBe(band);

    [Theory]
    [InlineData(18, "18-29")]
    [InlineData(29, "18-29")]
    [InlineData(30, "30-39")]
    [InlineData(59, "50-59")]
    [InlineData(60, "60+")]
    [InlineData(75, "60+")]
    public void ages_in_ten_year_bands(int age, string band) => IndicatorBands.AgeBandOf(age).ShouldBe(band);

    [Fact]
    public void the_monthly_target_is_a_twelfth_of_the_year_to_the_cent()
    {
        IndicatorRules.Default.MonthlyEnrolmentTarget.ShouldBe(416.67m);
        new IndicatorRules(1200, 42.79m).MonthlyEnrolmentTarget.ShouldBe(100m);
    }

    [Fact]
    public void stocks_are_counted_on_each_months_last_day_and_flows_within_it()
    {
        var f = Tally(D(2018, 1, 1), D(2018, 5, 20), A(), B(), C());
        f.Months.Select(m => m.Enrolled).ShouldBe([1, 2, 3, 3, 3]);        // enrolled before their first period count
        f.Months.Select(m => m.Covered).ShouldBe([0, 1, 2, 3, 1]);         // 04-30: C's first period not yet due; 05-20: A and C owe 04
        f.Months.Select(m => m.InArrears).ShouldBe([0, 0, 0, 0, 2]);
        f.Months.Select(m => m.NewEnrolments).ShouldBe([1, 1, 1, 0, 0]);
        f.Months.Select(m => m.Contributing).ShouldBe([0, 1, 2, 0, 0]);
        f.Months.Select(m => m.Contributions).ShouldBe([0m, 55.92m, 111.84m, 0m, 0m]);
        f.Months.Select(m => m.Advances).ShouldBe([0m, 0m, 55.92m, 0m, 0m]);
        // 04-30: A, B and C covered, C's spouse too: 4 persons at 42.79.
        f.Months[3].PersonsCovered.ShouldBe(4);
        f.Months[3].Cost.ShouldBe(171.16m);
        f.Months[2].Balance.ShouldBe(111.84m + 55.92m - 2 * 42.79m);
        f.Months[^1].To.ShouldBe(D(2018, 5, 20));
    }

    [Fact]
    public void period_totals_breakdowns_and_dependants_are_taken_at_the_periods_end()
    {
        var f = Tally(D(2018, 1, 1), D(2018, 5, 20), A(), B(), C());
        f.Totals.Contributors.ShouldBe(2);
        f.Totals.NewEnrolments.ShouldBe(3);
        f.Totals.EnrolmentTarget.ShouldBe(5 * 416.67m);
        f.Totals.Enrolled.ShouldBe(3);
        f.Totals.Covered.ShouldBe(1);
        f.Totals.Dependants.ShouldBe(1);
        f.Totals.DependantsCovered.ShouldBe(0);   // C is in arrears: no rights, nor for the spouse
        f.Totals.Contributions.ShouldBe(167.76m);
        f.BySex.ShouldBe([new BreakdownRow("F", 1, 1), new BreakdownRow("M", 1, 1), new BreakdownRow("unknown", 1, 0)]);
        f.ByAgeBand.Single(r => r.Key == "30-39").ShouldBe(new BreakdownRow("30-39", 2, 2));   // born 1985: 32
        f.ByAgeBand.Single(r => r.Key == "60+").ShouldBe(new BreakdownRow("60+", 1, 0));       // born 1956: 62
        f.ByCountry.Select(r => r.Key).Order().ShouldBe(["CA", "SE", "US"]);
        f.Dependants.ShouldBe([new DependantsRow("Spouse", 1, 0), new DependantsRow("Child", 0, 0)]);
    }

    [Fact]
    public void arrears_age_by_the_oldest_overdue_period_and_lapses_fill_their_band()
    {
        // 05-20: A and C owe 04 (due 04-30), 20 days late: 55.92 + 10 % (5.59) each.
        var may = Tally(D(2018, 1, 1), D(2018, 5, 20), A(), B(), C());
        may.ArrearsAgeing.Single(a => a.Band == "16-30").ShouldBe(new AgeingRow("16-30", 2, 2 * 61.51m));
        may.ArrearsAgeing.Where(a => a.Band != "16-30").ShouldAllBe(a => a.Persons == 0);

        // A lapses on 2018-06-30 (04, 05, 06 unpaid; 06 due 06-29); so does C (04, 05, 06). B's 05 is unpaid too but
        // only two periods (05, 06): on 06-30 it is 30 days late on 05 (due 05-31).
        var june = Tally(D(2018, 6, 1), D(2018, 6, 30), A(), B(), C());
        june.Months[0].Lapsed.ShouldBe(2);
        june.Totals.LapsedForNonPayment.ShouldBe(2);
        june.ArrearsAgeing.Single(a => a.Band == IndicatorBands.Lapsed).Persons.ShouldBe(2);
        june.ArrearsAgeing.Single(a => a.Band == "16-30").Persons.ShouldBe(1);
        june.Totals.Enrolled.ShouldBe(1);
    }

    [Fact]
    public void a_late_payment_restores_the_figures_only_from_the_day_it_was_paid()
    {
        var a = A().ApplyAll([Paid(D(2018, 5, 25), P(2018, 4), 5.59m)]);
        var f = Tally(D(2018, 5, 1), D(2018, 5, 31), a);
        f.Months[0].Contributing.ShouldBe(1);
        f.Months[0].Surcharges.ShouldBe(5.59m);
        f.Totals.InArrears.ShouldBe(0);
        Tally(D(2018, 5, 1), D(2018, 5, 24), a).Totals.InArrears.ShouldBe(1);
    }

    [Fact]
    public void retention_counts_the_cohort_with_rights_at_the_end_of_each_horizon()
    {
        var f = Tally(D(2018, 1, 1), D(2018, 3, 31), A(), B(), C());
        f.Retention.Select(c => (c.Cohort, c.Enrolled)).ShouldBe([(P(2018, 1), 1), (P(2018, 2), 1), (P(2018, 3), 1)]);
        // A (2018-01): covered on 2018-04-30, lapsed by 2018-07-31.
        f.Retention[0].After.Select(p => p.StillCovered).ShouldBe([1, 0, 0, 0]);
        f.Retention[0].After[0].Share.ShouldBe(1m);
        // B (2018-02): on 2018-05-31 its 05 is due that day, not late: covered; lapsed by 2018-08-31.
        f.Retention[1].After.Select(p => p.StillCovered).ShouldBe([1, 0, 0, 0]);
        // C (2018-03): never paid: in arrears on 2018-06-30 (and lapsed that day).
        f.Retention[2].After.Select(p => p.StillCovered).ShouldBe([0, 0, 0, 0]);
    }

    [Fact]
    public void retention_horizons_not_yet_reached_are_unknown()
    {
        var f = ProgrammeTally.Of([A()], D(2018, 1, 1), D(2018, 1, 31), D(2018, 8, 15), Regime.Default, IndicatorRules.Default);
        f.Retention[0].After.Select(p => p.StillCovered).ShouldBe([1, 0, null, null]);   // 2018-04-30, 2018-07-31 passed
        f.Retention[0].After[2].Share.ShouldBeNull();
    }

    [Fact]
    public void a_return_and_a_re_enrolment_are_counted_in_their_months()
    {
        var a = A().ApplyAll([
            new Lapsed(D(2018, 6, 30), LapseReason.NonPayment, P(2018, 3)),
            Enrolment("A", D(2018, 9, 3), P(2018, 10), null, "US"),
            new Returned(D(2018, 11, 5), D(2019, 5, 5)),
        ]);
        var f = Tally(D(2018, 9, 1), D(2018, 11, 30), a);
        f.Months.Select(m => m.NewEnrolments).ShouldBe([1, 0, 0]);
        f.Months.Select(m => m.Reenrolments).ShouldBe([1, 0, 0]);
        f.Months.Select(m => m.Returned).ShouldBe([0, 0, 1]);
        f.BySex.Single(r => r.Key == "F").Enrolled.ShouldBe(1);   // an enrolment without sex keeps the one declared
    }
}
