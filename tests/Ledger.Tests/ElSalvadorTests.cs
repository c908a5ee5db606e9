using NodaTime;
using Salex.Ledger.Calendar;
using Shouldly;

namespace Salex.Ledger.Tests;

public sealed class ElSalvadorTests
{
    [Fact]
    public void the_zone_keeps_one_offset_so_the_schedules_fixed_zone_is_the_same_rule()
    {
        var from = Instant.FromUtc(1990, 1, 1, 0, 0);
        var to = Instant.FromUtc(2100, 1, 1, 0, 0);
        ElSalvador.TimeZone.GetZoneIntervals(from, to).ShouldHaveSingleItem().WallOffset.ShouldBe(Offset.FromHours(-6));
        ElSalvador.SystemTimeZone.BaseUtcOffset.ShouldBe(TimeSpan.FromHours(-6));
        ElSalvador.SystemTimeZone.SupportsDaylightSavingTime.ShouldBeFalse();
    }

    [Fact]
    public void today_is_the_date_in_el_salvador_not_in_utc() =>
        ElSalvador.DateOf(Instant.FromUtc(2024, 3, 6, 5, 59)).ShouldBe(new LocalDate(2024, 3, 5));
}
