using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Salex.Ledger.Calendar;

/// <summary>Business dates travel as ISO <c>yyyy-MM-dd</c>.</summary>
public static class Dates
{
    public static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>An optional date: null stays null.</summary>
    public static string? Format(LocalDate? date) => date is { } d ? Format(d) : null;

    public static bool TryParse(string? text, out LocalDate date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var result = LocalDatePattern.Iso.Parse(text.Trim());
        if (!result.Success)
            return false;
        date = result.Value;
        return true;
    }

    /// <summary>Whole calendar days from <paramref name="from"/> to <paramref name="to"/> (negative when
    /// earlier).</summary>
    public static int DaysFrom(LocalDate from, LocalDate to) => Period.Between(from, to, PeriodUnits.Days).Days;

    public static string ToInvariant(this decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
