using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>Parsing of the wire's strings into NodaTime values, collecting a refusal per bad field.</summary>
public sealed class Wire
{
    public List<Refusal> Refusals { get; } = [];

    public LocalDate Date(string field, string? text, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) Refusals.Add(Refusal.Invalid(field, "The date is required (yyyy-MM-dd)."));
            return default;
        }
        if (Dates.TryParse(text, out var date)) return date;
        Refusals.Add(Refusal.Invalid(field, $"'{text}' is not a date of the form yyyy-MM-dd."));
        return default;
    }

    public YearMonth? Period(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Periods.TryParse(text, out var period)) return period;
        Refusals.Add(Refusal.Invalid(field, $"'{text}' is not a period of the form yyyy-MM."));
        return null;
    }

    public TEnum Enum<TEnum>(string field, string? text) where TEnum : struct, System.Enum
    {
        if (!string.IsNullOrWhiteSpace(text) && System.Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value)
            && System.Enum.IsDefined(value) && !text.Trim().All(char.IsDigit))
            return value;
        Refusals.Add(Refusal.Invalid(field, $"'{text}' is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}."));
        return default;
    }

    /// <summary>An optional instant (ISO 8601 with offset, e.g. 2024-03-05T10:15:00-06:00); null means "now".</summary>
    public static bool TryInstantOrNow(string? text, out Instant? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var result = NodaTime.Text.OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (result.Success) instant = result.Value.ToInstant();
        return result.Success;
    }

    /// <summary>The business date of a query (<c>?on=</c>), today in El Salvador when absent.</summary>
    public static bool TryDateOrToday(string? text, IClock clock, out LocalDate date)
    {
        if (string.IsNullOrWhiteSpace(text)) { date = ElSalvador.Today(clock); return true; }
        return Dates.TryParse(text, out date);
    }
}
