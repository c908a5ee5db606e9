using Salex.Ledger.Reserve;
using Shouldly;

namespace Salex.Ledger.Tests;

public class EmergencyReserveTests
{
    [Fact]
    public void five_percent_binds_when_it_is_below_the_annual_limit()
    {
        // 217 insured → limit 100 × 217 / 1000 = 21.70; 5 % of 300.00 = 15.00 < 21.70.
        var year = EmergencyReserve.Accrue([new ReserveYearInput(2024, 300.00m, 217)]).ShouldHaveSingleItem();
        year.FivePercent.ShouldBe(15.00m);
        year.AnnualLimit.ShouldBe(21.70m);
        year.Accrued.ShouldBe(15.00m);
        year.AnnualLimitApplied.ShouldBeFalse();
        year.RunningTotal.ShouldBe(15.00m);
    }

    [Fact]
    public void a_small_year_of_three_insured_is_capped_by_the_proportional_annual_limit()
    {
        // 12 + 3 + 1 periods of 55.92 = 894.72; 5 % = 44.736 → 44.74; limit 100 × 3 / 1000 = 0.30.
        var year = EmergencyReserve.Accrue([new ReserveYearInput(2018, 894.72m, 3)]).ShouldHaveSingleItem();
        year.FivePercent.ShouldBe(44.74m);
        year.AnnualLimit.ShouldBe(0.30m);
        year.Accrued.ShouldBe(0.30m);
        year.AnnualLimitApplied.ShouldBeTrue();
    }

    [Fact]
    public void the_running_total_never_passes_two_hundred_thousand()
    {
        // Each year: 5 % of 10,000,000 = 500,000; limit 100 × 1,500,000 / 1000 = 150,000 → 150,000.
        // Year 2 would bring the total to 300,000: cut to 50,000. Year 3: nothing left.
        var years = EmergencyReserve.Accrue([
            new ReserveYearInput(2022, 10_000_000m, 1_500_000),
            new ReserveYearInput(2023, 10_000_000m, 1_500_000),
            new ReserveYearInput(2024, 10_000_000m, 1_500_000),
        ]);
        years.Select(y => y.Accrued).ShouldBe([150_000m, 50_000m, 0m]);
        years.Select(y => y.TotalLimitApplied).ShouldBe([false, true, true]);
        years[^1].RunningTotal.ShouldBe(200_000m);
    }

    [Fact]
    public void years_accrue_in_calendar_order_whatever_order_they_come_in()
    {
        var years = EmergencyReserve.Accrue([new ReserveYearInput(2020, 100m, 1000), new ReserveYearInput(2019, 200m, 1000)]);
        years.Select(y => (y.Year, y.RunningTotal)).ShouldBe([(2019, 10.00m), (2020, 15.00m)]);
    }
}
