using System.Globalization;
using System.Text.Json;
using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>
/// The indicators as one long CSV table (<c>section,key,measure,value</c>), written from the JSON answer itself so
/// that both always hold the same figures: a top-level value is a row of section <c>summary</c>; an object
/// (<c>totals</c>) one row per member; a list one row per member of each element, keyed by the element's first
/// member (the month, the band, the cohort, the year), a nested list (a cohort's horizons) as
/// <c>after[3].share</c>.
/// </summary>
public static class IndicatorsCsv
{
    public static readonly string[] Columns = ["section", "key", "measure", "value"];

    public static IEnumerable<object?[]> Rows(ProgrammeIndicators indicators)
    {
        var json = JsonSerializer.SerializeToElement(indicators, LedgerJson.Options);
        foreach (var top in json.EnumerateObject())
            switch (top.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var m in top.Value.EnumerateObject())
                        yield return [top.Name, "", m.Name, Value(m.Value)];
                    break;
                case JsonValueKind.Array:
                    foreach (var element in top.Value.EnumerateArray())
                    {
                        var members = element.EnumerateObject().ToList();
                        var key = members[0].Value.ToString();
                        foreach (var m in members.Skip(1))
                        foreach (var (measure, value) in Flatten(m.Name, m.Value))
                            yield return [top.Name, key, measure, value];
                    }
                    break;
                default:
                    yield return ["summary", "", top.Name, Value(top.Value)];
                    break;
            }
    }

    private static IEnumerable<(string Measure, object? Value)> Flatten(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            yield return (name, Value(value));
            yield break;
        }
        foreach (var element in value.EnumerateArray())
        {
            var members = element.EnumerateObject().ToList();
            foreach (var m in members.Skip(1))
                yield return ($"{name}[{members[0].Value}].{m.Name}", Value(m.Value));
        }
    }

    /// <summary>Numbers as numbers (a count without decimals, money and shares as written in the JSON), so that
    /// <see cref="Csv"/> neither pads a count with cents nor guards a negative balance as text.</summary>
    private static object? Value(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.Number when value.GetRawText().Contains('.') => decimal.Parse(
                value.GetRawText(),
                CultureInfo.InvariantCulture
            ),
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => value.ToString(),
        };
}
