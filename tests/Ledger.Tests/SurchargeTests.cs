using Salex.Ledger.Contributions;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class SurchargeTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "0.05")]
    [InlineData(15, "0.05")]
    [InlineData(16, "0.10")]
    [InlineData(100, "0.10")]
    public void surcharge_rate_is_five_percent_for_one_to_fifteen_days_and_ten_percent_from_the_sixteenth(int daysLate, string rate) =>
        Surcharge.RateFor(daysLate).ShouldBe(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(0, "0")]     // on time
    [InlineData(1, "2.80")]  // 55.92 × 0.05 = 2.796 → 2.80
    [InlineData(15, "2.80")]
    [InlineData(16, "5.59")] // 55.92 × 0.10 = 5.592 → 5.59
    public void surcharge_on_55_92_at_the_tier_boundaries(int daysLate, string expected) =>
        Surcharge.On(55.92m, daysLate).ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void late_payment_within_fifteen_days_on_68_04_carries_3_40() =>
        // SPEC §6: 68.04 × 0.05 = 3.402 → 3.40
        Surcharge.On(68.04m, 10).ShouldBe(3.40m);

    [Fact]
    public void late_payment_after_fifteen_days_on_68_04_carries_6_80() =>
        // 68.04 × 0.10 = 6.804 → 6.80
        Surcharge.On(68.04m, 16).ShouldBe(6.80m);

    [Fact]
    public void surcharge_rounds_a_half_cent_away_from_zero_at_five_percent() =>
        // 56.10 × 0.05 = 2.805 → 2.81 (banker's rounding would give 2.80)
        Surcharge.On(56.10m, 3).ShouldBe(2.81m);

    [Fact]
    public void surcharge_rounds_a_half_cent_away_from_zero_at_ten_percent() =>
        // 56.25 × 0.10 = 5.625 → 5.63 (banker's rounding would give 5.62)
        Surcharge.On(56.25m, 20).ShouldBe(5.63m);

    [Theory]
    [InlineData(2018, 2, 28, 0)]  // on the due date
    [InlineData(2018, 2, 10, 0)]  // before the due date: never negative
    [InlineData(2018, 3, 1, 1)]
    [InlineData(2018, 3, 5, 5)]   // SPEC §6
    [InlineData(2018, 3, 15, 15)]
    [InlineData(2018, 3, 16, 16)]
    [InlineData(2018, 3, 20, 20)] // SPEC §6
    public void days_late_are_calendar_days_from_the_due_date_to_the_payment(int y, int m, int d, int expected) =>
        Surcharge.DaysLate(D(2018, 2, 28), D(y, m, d)).ShouldBe(expected);

    [Fact]
    public void days_late_cross_a_year_end() =>
        // 2021-12-31 → 2022-01-10 = 10 days
        Surcharge.DaysLate(D(2021, 12, 31), D(2022, 1, 10)).ShouldBe(10);

    [Theory]
    // Period 2018-02 due 2018-02-28, 55.92.
    [InlineData(2018, 2, 28, 0, "0", "0", "55.92")]
    [InlineData(2018, 3, 1, 1, "0.05", "2.80", "58.72")]
    [InlineData(2018, 3, 15, 15, "0.05", "2.80", "58.72")]
    [InlineData(2018, 3, 16, 16, "0.10", "5.59", "61.51")]
    public void period_2018_02_paid_around_the_tier_boundaries(int y, int m, int d, int days, string rate, string surcharge, string total)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var owed = PaymentAllocator.PeriodPaidOn(P(2018, 2), D(y, m, d), Rates, Cal);
        owed.Base.ShouldBe(55.92m);
        owed.DaysLate.ShouldBe(days);
        owed.SurchargeRate.ShouldBe(decimal.Parse(rate, inv));
        owed.Surcharge.ShouldBe(decimal.Parse(surcharge, inv));
        owed.Total.ShouldBe(decimal.Parse(total, inv));
    }

    [Fact]
    public void period_2018_03_paid_on_29_march_is_one_day_late_because_it_was_due_on_the_28th()
    {
        // Due 2018-03-28 (Holy Week); paid 2018-03-29 → 1 day → 2.80, total 58.72
        var owed = PaymentAllocator.PeriodPaidOn(P(2018, 3), D(2018, 3, 29), Rates, Cal);
        owed.DaysLate.ShouldBe(1);
        owed.Surcharge.ShouldBe(2.80m);
        owed.Total.ShouldBe(58.72m);
    }

    [Fact]
    public void worked_example_period_2022_05_paid_ten_days_late_carries_3_40()
    {
        // Due 2022-05-31 (Tuesday); paid 2022-06-10 = 10 days late; 68.04 × 0.05 = 3.402 → 3.40; total 71.44
        var owed = PaymentAllocator.PeriodPaidOn(P(2022, 5), D(2022, 6, 10), Rates, Cal);
        owed.Base.ShouldBe(68.04m);
        owed.DaysLate.ShouldBe(10);
        owed.Surcharge.ShouldBe(3.40m);
        owed.Total.ShouldBe(71.44m);
    }
}
