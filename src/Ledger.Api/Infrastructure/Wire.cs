using System.Globalization;
using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Parsing of the wire's strings into ledger values, collecting a refusal per bad field. Every value is held to
/// <see cref="Limits"/> here, so nothing the database would refuse gets past the edge.
/// </summary>
public sealed class Wire
{
    public List<Refusal> Refusals { get; } = [];

    public LocalDate Date(string field, string? text, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
                Refusals.Add(Refusal.Invalid(field, "The date is required (yyyy-MM-dd)."));
            return default;
        }
        if (TryDate(text, out var date))
            return date;
        Refusals.Add(Refusal.Invalid(field, DateReason(text)));
        return default;
    }

    public YearMonth? Period(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Periods.TryParse(text, out var period) && Limits.IsInRange(period))
            return period;
        Refusals.Add(
            Refusal.Invalid(
                field,
                $"'{Shown(text)}' is not a period of the form yyyy-MM from {Limits.FirstYear}-01 to {Limits.LastYear}-12."
            )
        );
        return null;
    }

    public TEnum Enum<TEnum>(string field, string? text)
        where TEnum : struct, System.Enum
    {
        if (
            !string.IsNullOrWhiteSpace(text)
            && System.Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value)
            && System.Enum.IsDefined(value)
            && !text.Trim().All(char.IsDigit)
        )
            return value;
        Refusals.Add(
            Refusal.Invalid(
                field,
                $"'{Shown(text)}' is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}."
            )
        );
        return default;
    }

    /// <summary>
    /// A text field, trimmed: refused when required and blank, longer than <paramref name="maxLength"/>, or holding
    /// control or format characters (see <see cref="Limits.TextProblem"/>). Null or blank gives "".
    /// </summary>
    public string Text(string field, string? text, int maxLength, string? requiredReason = null)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            if (requiredReason is not null)
                Refusals.Add(Refusal.Invalid(field, requiredReason));
            return "";
        }
        if (Limits.TextProblem(trimmed, maxLength) is { } problem)
            Refusals.Add(Refusal.Invalid(field, problem));
        return trimmed;
    }

    /// <summary>A decimal in (0, <see cref="Limits.Amount"/>]; the rules check cents and the rest.</summary>
    public decimal? Amount(string field, decimal? value, string requiredReason)
    {
        if (value is null)
            Refusals.Add(Refusal.Invalid(field, requiredReason));
        else if (value > Limits.Amount)
            Refusals.Add(Refusal.Invalid(field, $"At most {Limits.Amount:0.00}."));
        return value;
    }

    /// <summary>A page number from 1 to <see cref="Limits.Page"/>, 1 when absent.</summary>
    public int Page(string field, int? page)
    {
        if (page is null)
            return 1;
        if (page is >= 1 and <= Limits.Page)
            return page.Value;
        Refusals.Add(Refusal.Invalid(field, $"Pages are numbered from 1 to {Limits.Page}."));
        return 1;
    }

    /// <summary>
    /// A page size from 1 to <paramref name="max"/> (each route says its own), <paramref name="byDefault"/> when
    /// absent. Past the range it is refused, never clamped: a client asking for 10,001 must not silently get 500.
    /// </summary>
    public int PageSize(string field, int? size, int byDefault, int max, string items)
    {
        if (size is null)
            return byDefault;
        if (size >= 1 && size <= max)
            return size.Value;
        Refusals.Add(Refusal.Invalid(field, $"A page has 1 to {max:N0} {items} ({size} given)."));
        return byDefault;
    }

    /// <summary>A whole number written with digits only, as the ledger writes cursors and years: no sign, spaces or a
    /// culture's separators (<c>+5</c>, <c> 5</c>, <c>1,000</c> are not numbers here).</summary>
    public static bool TryDigits(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A date of the form yyyy-MM-dd within <see cref="Limits.FirstYear"/>..<see
    /// cref="Limits.LastYear"/>.</summary>
    public static bool TryDate(string? text, out LocalDate date) =>
        Dates.TryParse(text, out date) && Limits.IsInRange(date);

    public static string DateReason(string? text) =>
        $"'{Shown(text)}' is not a date of the form yyyy-MM-dd {Limits.DateRange}.";

    public static string InstantReason(string? text) =>
        $"'{Shown(text)}' is not an instant with an offset, such as 2024-03-05T10:15:00-06:00, {Limits.DateRange}.";

    /// <summary>An optional instant (ISO 8601 with offset, e.g. 2024-03-05T10:15:00-06:00); null means "now".</summary>
    public static bool TryInstantOrNow(string? text, out Instant? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        var result = NodaTime.Text.OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (!result.Success || !Limits.IsInRange(result.Value.ToInstant()))
            return false;
        instant = result.Value.ToInstant();
        return true;
    }

    /// <summary>The business date of a query (<c>?on=</c>), today in El Salvador when absent.</summary>
    public static bool TryDateOrToday(string? text, IClock clock, out LocalDate date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = ElSalvador.Today(clock);
            return true;
        }
        return TryDate(text, out date);
    }

    /// <summary>A value quoted back in a refusal, cut short and made printable: it may be huge or hold a NUL.</summary>
    public static string Shown(string? text) => Limits.Printable(text ?? "", 40) + (text?.Length > 40 ? "…" : "");
}
