using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The wire format: camelCase JSON, money as a number with two decimals. Dates and periods are
/// written as strings by the response types themselves (yyyy-MM-dd, yyyy-MM).
/// </summary>
public static class LedgerJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new MoneyConverter());
        options.Converters.Add(new JsonStringEnumConverter());
    }

    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    /// <summary>Writes every decimal with at least two decimals (0.00, 2.80), reads any JSON number.</summary>
    private sealed class MoneyConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number ? reader.GetDecimal() : throw new JsonException(); // no message: the serializer names the field and the type expected

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
        {
            // Whole cents (all money) as 0.00; a finer value (none expected) is written in full, never rounded.
            var text =
                decimal.Round(value, 2) == value
                    ? value.ToString("0.00", CultureInfo.InvariantCulture)
                    : value.ToString(CultureInfo.InvariantCulture);
            writer.WriteRawValue(text);
        }
    }
}
