using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// The one convention that gives the document its formats: the ledger's views carry dates, periods and instants as
/// strings (written by <see cref="Dates"/> and <see cref="Periods"/>), so their JSON names say what they are
/// (<c>paidOn</c>, <c>firstPeriod</c>, <c>recordedAt</c>). Names that could mean something else (<c>from</c>,
/// <c>to</c>; a bank day's <c>day</c> is a date or, in totals, a range) carry <see cref="WireFormatAttribute"/> instead. The contract test checks the served answers against
/// the formats, so a name read wrongly fails a test.
/// </summary>
public static class WireFormats
{
    public const string PeriodPattern = "^[0-9]{4}-(0[1-9]|1[0-2])$";
    public const string AffiliationNumberPattern = "^[0-9]{9,18}$";
    public const string DuiPattern = "^[0-9]{8}-[0-9]$";

    public static WireKind KindOf(string jsonName)
    {
        var name = jsonName;
        if (name is "on" or "date" or "birthDate" or "dueDate" or "coveredUntil" || name.EndsWith("On"))
            return WireKind.Date;
        if (name is "period" || name.EndsWith("Period") || name.EndsWith("Through"))
            return WireKind.Period;
        if (name is "at" or "asOf" || name.EndsWith("At"))
            return WireKind.Instant;
        if (name is "affiliationNumber" or "assignedTo")
            return WireKind.AffiliationNumber;
        if (name is "dui")
            return WireKind.Dui;
        return WireKind.Text;
    }

    /// <summary>Shapes a string schema (a property or a parameter) as <paramref name="kind"/>; a year taken as text is
    /// an integer on the wire.</summary>
    public static void ApplyText(OpenApiSchema schema, WireKind kind)
    {
        switch (kind)
        {
            case WireKind.Date:
                schema.Format = "date";
                schema.Description ??= "A date, yyyy-MM-dd (El Salvador's calendar).";
                break;
            case WireKind.Period:
                schema.Pattern = PeriodPattern;
                schema.Description ??= "A contribution period (a month), yyyy-MM.";
                break;
            case WireKind.Instant:
                schema.Format = "date-time";
                schema.Description ??= "An instant, ISO 8601 with offset (RFC 3339).";
                break;
            case WireKind.AffiliationNumber:
                schema.Pattern = AffiliationNumberPattern;
                schema.Description ??= "A SALEX affiliation number: digits, the last a Luhn check digit (100000017).";
                break;
            case WireKind.Dui:
                schema.Pattern = DuiPattern;
                schema.Description ??=
                    "A DUI (Documento Único de Identidad): ########-#, the last digit a check digit.";
                break;
            case WireKind.Uuid:
                schema.Format = "uuid";
                break;
            case WireKind.Year:
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int32";
                schema.Minimum = Limits.FirstYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
                schema.Maximum = Limits.LastYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
    }

    /// <summary>A decimal: a JSON number read as decimal; money has at most two decimals.</summary>
    public static void ApplyNumber(OpenApiSchema schema, WireKind kind, bool nullable)
    {
        schema.Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number;
        schema.Format = "decimal";
        if (kind == WireKind.Money)
        {
            schema.MultipleOf = 0.01m;
            schema.Description ??=
                "Money in US dollars: a JSON number with at most two decimals (written with exactly two). Read it as a decimal, not a binary floating point number.";
        }
        else
            schema.Description ??= "A rate as a decimal fraction (0.05 is 5 %). Read it as a decimal.";
    }

    public static JsonNode? ExampleOf(WireKind kind) =>
        kind switch
        {
            WireKind.Date => "2018-03-05",
            WireKind.Period => "2018-03",
            WireKind.Instant => "2018-03-05T14:30:00Z",
            WireKind.AffiliationNumber => "100000017",
            WireKind.Dui => "04567890-3",
            WireKind.Money => JsonValue.Create(58.72m),
            WireKind.Rate => JsonValue.Create(0.05m),
            _ => null,
        };
}
