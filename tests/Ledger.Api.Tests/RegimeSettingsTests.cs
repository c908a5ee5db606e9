using Microsoft.Extensions.Configuration;
using NodaTime;
using Salex.Ledger.Api.Infrastructure.Settings;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The regime's settings as the README documents them: each one obeyed, a bad one named at start.</summary>
public sealed class RegimeSettingsTests
{
    private static Regime From(params (string Key, string Value)[] settings) => RegimeSettings.From(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void holy_week_alone_configured_keeps_the_regulations_fixed_holidays()
    {
        var regime = From(("Regime:Holidays:DaysFromEaster:0", "-2"));   // Good Friday only

        regime.Calendar.IsHoliday(new LocalDate(2018, 3, 30)).ShouldBeTrue();    // Good Friday 2018
        regime.Calendar.IsHoliday(new LocalDate(2018, 3, 29)).ShouldBeFalse();   // Holy Thursday, no longer
        regime.Calendar.IsHoliday(new LocalDate(2018, 9, 15)).ShouldBeTrue();    // a fixed holiday of the regulation
    }

    [Fact]
    public void fixed_holidays_configured_replace_the_regulations_and_keep_holy_week()
    {
        var regime = From(("Regime:Holidays:Fixed:0", "12-24"));

        regime.Calendar.IsHoliday(new LocalDate(2018, 12, 24)).ShouldBeTrue();
        regime.Calendar.IsHoliday(new LocalDate(2018, 12, 25)).ShouldBeFalse();
        regime.Calendar.IsHoliday(new LocalDate(2018, 3, 29)).ShouldBeTrue();    // Holy Thursday
    }

    [Theory]
    [InlineData("13-01")]
    [InlineData("1-1")]
    [InlineData("Christmas")]
    public void a_fixed_holiday_that_is_not_a_day_of_the_year_stops_the_host_naming_the_setting(string text) =>
        Should.Throw<InvalidOperationException>(() => From(("Regime:Holidays:Fixed:0", text)))
            .Message.ShouldContain("Regime:Holidays:Fixed");
}
