using NodaTime;
using NodaTime.Text;

namespace Salex.Ledger.Calendar;

/// <summary>A contribution period is a calendar month, modelled by NodaTime's <see cref="YearMonth"/>.</summary>
public static class Periods
{
    private static readonly YearMonthPattern Pattern = YearMonthPattern.CreateWithInvariantCulture("uuuu'-'MM");

    public static YearMonth Next(this YearMonth period) => period.PlusMonths(1);

    public static YearMonth Previous(this YearMonth period) => period.PlusMonths(-1);

    /// <summary>Months from <paramref name="from"/> to <paramref name="to"/> (2024-01 → 2025-01 is 12).</summary>
    public static int MonthsUntil(this YearMonth from, YearMonth to) =>
        (to.Year - from.Year) * 12 + (to.Month - from.Month);

    public static LocalDate FirstDay(this YearMonth period) => period.OnDayOfMonth(1);

    public static LocalDate LastDay(this YearMonth period) =>
        period.OnDayOfMonth(period.Calendar.GetDaysInMonth(period.Year, period.Month));

    public static YearMonth PeriodOf(LocalDate date) => date.ToYearMonth();

    /// <summary>Every period from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static IEnumerable<YearMonth> Through(this YearMonth first, YearMonth last)
    {
        for (var p = first; p <= last; p = p.Next())
            yield return p;
    }

    public static string Format(YearMonth period) => Pattern.Format(period);

    public static bool TryParse(string? text, out YearMonth period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var result = Pattern.Parse(text.Trim());
        if (!result.Success)
            return false;
        period = result.Value;
        return true;
    }
}
