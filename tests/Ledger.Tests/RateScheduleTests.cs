using Salex.Ledger.Contributions;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class RateScheduleTests
{
    [Theory]
    [InlineData(2017, 10)]
    [InlineData(2018, 2)]
    [InlineData(2021, 12)]
    public void periods_from_2017_10_to_2021_12_cost_55_92(int y, int m) =>
        // 300 × 2 × 0.0932 = 55.92
        RateSchedule.Known.ContributionFor(P(y, m)).ShouldBe(55.92m);

    [Theory]
    [InlineData(2022, 1)]
    [InlineData(2022, 5)]
    [InlineData(2025, 1)]
    public void periods_from_2022_01_cost_68_04(int y, int m) =>
        // 365 × 2 × 0.0932 = 68.036 → 68.04
        RateSchedule.Known.ContributionFor(P(y, m)).ShouldBe(68.04m);

    [Fact]
    public void the_rate_changes_exactly_between_2021_12_and_2022_01()
    {
        RateSchedule.Known.RowFor(P(2021, 12)).MinimumWage.ShouldBe(300m);
        RateSchedule.Known.RowFor(P(2022, 1)).MinimumWage.ShouldBe(365m);
    }

    [Fact]
    public void a_period_before_the_schedule_has_no_rate()
    {
        RateSchedule.Known.Covers(P(2017, 9)).ShouldBeFalse();
        RateSchedule.Known.Covers(P(2017, 10)).ShouldBeTrue();
        Should.Throw<ArgumentOutOfRangeException>(() => RateSchedule.Known.ContributionFor(P(2017, 9)));
    }

    [Fact]
    public void rows_given_out_of_order_are_applied_by_first_period()
    {
        var schedule = new RateSchedule([new RateRow(P(2022, 1), 365m), new RateRow(P(2017, 10), 300m)]);
        schedule.FirstPeriod.ShouldBe(P(2017, 10));
        schedule.ContributionFor(P(2021, 12)).ShouldBe(55.92m);
        schedule.ContributionFor(P(2022, 1)).ShouldBe(68.04m);
    }

    [Fact]
    public void an_empty_schedule_is_refused() =>
        Should.Throw<ArgumentException>(() => new RateSchedule([]));

    [Theory]
    // 6.25 × 2 × 0.0932 = 1.165 → 1.17 (banker's rounding would give 1.16)
    [InlineData("6.25", "1.17")]
    // 31.25 × 2 × 0.0932 = 5.825 → 5.83 (banker's would give 5.82)
    [InlineData("31.25", "5.83")]
    // 365 × 2 × 0.0932 = 68.036 → 68.04
    [InlineData("365", "68.04")]
    // 400 × 2 × 0.0932 = 74.56
    [InlineData("400", "74.56")]
    public void contribution_is_nine_point_three_two_percent_of_two_minimum_wages_rounded_half_away_from_zero(string wage, string expected) =>
        RateSchedule.ContributionOn(decimal.Parse(wage, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2.805", "2.81")]
    [InlineData("2.815", "2.82")]
    [InlineData("1.165", "1.17")]
    [InlineData("-2.805", "-2.81")]
    [InlineData("2.8049", "2.80")]
    [InlineData("68.036", "68.04")]
    public void money_rounds_to_the_cent_half_away_from_zero(string amount, string expected) =>
        Money.Round(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("58.72", true)]
    [InlineData("58.720", true)]
    [InlineData("58", true)]
    [InlineData("58.725", false)]
    [InlineData("0.001", false)]
    public void whole_cents_have_at_most_two_significant_decimals(string amount, bool expected) =>
        Money.IsWholeCents(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);
}
