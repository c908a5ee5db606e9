using NodaTime;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The regime's settings from configuration (section <c>Regime</c>), over the specification's defaults:
/// rules (<c>Regime:Rules</c>), holidays (<c>Regime:Holidays:Fixed</c> as "MM-dd",
/// <c>Regime:Holidays:DaysFromEaster</c>) and the rate schedule's rows (<c>Regime:Rates</c>), which seed the
/// policy stream at first start; from then on the schedule is the stream's (<c>/api/rates</c>).
/// </summary>
public static class RegimeSettings
{
    public static Regime From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Regime");
        var rules = section.GetSection("Rules").Get<RegimeRules>() ?? RegimeRules.Default;

        var calendar = BusinessCalendar.ElSalvador;
        var fixedDays = section.GetSection("Holidays:Fixed").Get<string[]>();
        var easterOffsets = section.GetSection("Holidays:DaysFromEaster").Get<int[]>();
        // Either list may be configured alone; the other keeps the regulation's (one definition, BusinessCalendar).
        if (fixedDays is not null || easterOffsets is not null)
            calendar = new BusinessCalendar(
                fixedDays?.Select(HolidayOf).ToArray() ?? calendar.FixedHolidays,
                easterOffsets ?? calendar.DaysFromEaster);

        var rates = RateSchedule.Known;
        var rows = section.GetSection("Rates").Get<RateSetting[]>();
        if (rows is { Length: > 0 })
            rates = new RateSchedule(rows.Select(r =>
                new RateRow(Periods.TryParse(r.FirstPeriod, out var p) ? p : throw new InvalidOperationException($"Bad period '{r.FirstPeriod}' in Regime:Rates."), r.MinimumWage)));

        return new Regime(rates, calendar, rules);
    }

    /// <summary>The regime as of now: the configured rules and calendar with the rate schedule recorded on the policy stream.</summary>
    public static Regime Current(IServiceProvider services) =>
        services.GetRequiredService<Salex.Ledger.Api.Features.Rates.RateScheduleCache>().Regime;

    private sealed record RateSetting(string FirstPeriod, decimal MinimumWage);

    /// <summary>A fixed holiday as configured ("MM-dd"); anything else stops the host, naming the setting.</summary>
    private static AnnualDate HolidayOf(string text) =>
        NodaTime.Text.AnnualDatePattern.Iso.Parse(text ?? "") is { Success: true } parsed ? parsed.Value
            : throw new InvalidOperationException($"Regime:Holidays:Fixed: '{text}' is not a day of the year of the form MM-dd.");
}
