using NodaTime;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// The regime's settings (section <c>Regime</c>), over the specification's defaults: rules (<c>Regime:Rules</c>),
/// holidays (<c>Regime:Holidays:Fixed</c> as "MM-dd", <c>Regime:Holidays:DaysFromEaster</c>), the rate schedule's
/// rows (<c>Regime:Rates</c>), which seed the policy stream at first start (from then on the schedule is the
/// stream's, <c>/api/rates</c>), and how often a node looks for rows added on another (<c>RatesRefreshSeconds</c>).
/// Bound as options and validated when the host starts (<see cref="SettingsValidation"/>).
/// </summary>
public sealed class RegimeSettings : ICheckedSettings
{
    public const string Section = "Regime";

    public RegimeRules? Rules { get; set; }
    public HolidaySettings Holidays { get; set; } = new();
    public RateSetting[]? Rates { get; set; }
    public int RatesRefreshSeconds { get; set; } = 30;

    public sealed class HolidaySettings
    {
        public string[]? Fixed { get; set; }

        /// <summary>Read as text and parsed here: the configuration binder drops an element of an <c>int[]</c> it
        /// cannot convert, without a word (an attack's <c>abc</c> removed the Holy Week holidays, and with them due
        /// dates and surcharges).</summary>
        public string[]? DaysFromEaster { get; set; }
    }

    public sealed class RateSetting
    {
        public string? FirstPeriod { get; set; }
        public decimal MinimumWage { get; set; }
    }

    /// <summary>The regime of a configuration, validated (an <see cref="InvalidOperationException"/> names the bad
    /// setting). The benchmarks and tests read it this way; the host through options.</summary>
    public static Regime From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<RegimeSettings>() ?? new RegimeSettings();
        var problems = settings.Problems().ToList();
        return problems.Count == 0
            ? settings.ToRegime()
            : throw new SettingsNotValidException(string.Join(" ", problems));
    }

    /// <summary>The regime these settings describe; call <see cref="Problems"/> first.</summary>
    public Regime ToRegime()
    {
        var calendar = BusinessCalendar.ElSalvador;
        // Either list may be configured alone; the other keeps the regulation's (one definition, BusinessCalendar).
        if (Holidays.Fixed is not null || Holidays.DaysFromEaster is not null)
            calendar = new BusinessCalendar(
                Holidays.Fixed?.Select(t => HolidayOf(t)!.Value).ToArray() ?? calendar.FixedHolidays,
                Holidays.DaysFromEaster?.Select(t => DaysOf(t)!.Value).ToArray() ?? calendar.DaysFromEaster
            );
        var rates = Rates is { Length: > 0 }
            ? new RateSchedule(Rates.Select(r => new RateRow(PeriodOf(r.FirstPeriod)!.Value, r.MinimumWage)))
            : RateSchedule.Known;
        return new Regime(rates, calendar, Rules ?? RegimeRules.Default);
    }

    /// <summary>What is wrong with these settings, each naming its setting; nothing when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        var r = Rules ?? RegimeRules.Default;
        if (r.MinimumAge < 0 || r.MinimumAge >= r.MaximumAge || r.MaximumAge > 120)
            yield return $"Regime:Rules: MinimumAge ({r.MinimumAge}) must be below MaximumAge ({r.MaximumAge}), "
                + "both between 0 and 120.";
        if (r.AdvanceMonths is < 0 or > 120)
            yield return $"Regime:Rules:AdvanceMonths ({r.AdvanceMonths}) must be 0 to 120.";
        if (r.ChildAgeLimit is < 1 or > 30)
            yield return $"Regime:Rules:ChildAgeLimit ({r.ChildAgeLimit}) must be 1 to 30.";
        if (r.LapseAfterUnpaidPeriods is < 1 or > 120)
            yield return $"Regime:Rules:LapseAfterUnpaidPeriods ({r.LapseAfterUnpaidPeriods}) must be 1 to 120.";
        if (r.MaxMonthsToFirstPeriod is < 0 or > 24)
            yield return $"Regime:Rules:MaxMonthsToFirstPeriod ({r.MaxMonthsToFirstPeriod}) must be 0 to 24.";
        if (r.MinimumWageFloor <= 0 || r.MinimumWageCeiling <= r.MinimumWageFloor)
            yield return $"Regime:Rules: MinimumWageFloor ({r.MinimumWageFloor}) must be positive and below "
                + $"MinimumWageCeiling ({r.MinimumWageCeiling}).";
        if (r.RateHorizonMonths is < 1 or > 240)
            yield return $"Regime:Rules:RateHorizonMonths ({r.RateHorizonMonths}) must be 1 to 240.";
        foreach (var (text, i) in (Holidays.Fixed ?? []).Select((t, i) => (t, i)))
            if (HolidayOf(text) is null)
                yield return $"Regime:Holidays:Fixed:{i}: '{text}' is not a day of the year of the form MM-dd.";
        foreach (var (text, i) in (Holidays.DaysFromEaster ?? []).Select((d, i) => (d, i)))
            if (DaysOf(text) is not { } days)
                yield return $"Regime:Holidays:DaysFromEaster:{i}: '{text}' is not a whole number of days.";
            else if (days is < -100 or > 100)
                yield return $"Regime:Holidays:DaysFromEaster:{i}: {days} is more than 100 days from Easter.";
        foreach (var (row, i) in (Rates ?? []).Select((row, i) => (row, i)))
        {
            if (PeriodOf(row.FirstPeriod) is null)
                yield return $"Regime:Rates:{i}:FirstPeriod: '{row.FirstPeriod}' is not a period of the form yyyy-MM.";
            if (row.MinimumWage <= 0 || !Money.IsWholeCents(row.MinimumWage))
                yield return $"Regime:Rates:{i}:MinimumWage: {row.MinimumWage} is not a positive amount in cents.";
            // The band POST /api/rates holds a new row to: the rows that seed the schedule are held to it too.
            else if (row.MinimumWage < r.MinimumWageFloor || row.MinimumWage > r.MinimumWageCeiling)
                yield return $"Regime:Rates:{i}:MinimumWage: {row.MinimumWage} is outside Regime:Rules' "
                    + $"MinimumWageFloor ({r.MinimumWageFloor}) to MinimumWageCeiling ({r.MinimumWageCeiling}).";
        }
        if (
            Rates is { Length: > 0 }
            && Rates.Select(x => PeriodOf(x.FirstPeriod)).ToList() is var periods
            && periods.All(p => p is not null)
            && periods.Distinct().Count() != periods.Count
        )
            yield return "Regime:Rates: two rows start in the same period.";
        if (RatesRefreshSeconds is < 1 or > 3600)
            yield return $"Regime:RatesRefreshSeconds ({RatesRefreshSeconds}) must be 1 to 3600.";
    }

    private static int? DaysOf(string? text) =>
        int.TryParse(
            text,
            System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture,
            out var days
        )
            ? days
            : null;

    private static AnnualDate? HolidayOf(string? text) =>
        NodaTime.Text.AnnualDatePattern.Iso.Parse(text ?? "") is { Success: true } parsed ? parsed.Value : null;

    private static YearMonth? PeriodOf(string? text) => Periods.TryParse(text, out var p) ? p : null;
}
