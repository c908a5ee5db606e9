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
        // {"amount":1.00,"amount":2.00} (or "Amount") is refused: a proxy or a log that reads the first value would see
        // other money than the ledger books.
        options.AllowDuplicateProperties = false;
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
        /// <summary>A decimal holds 28 significant digits; the parser rounds a number with more.</summary>
        private const int DecimalDigits = 28;

        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw new JsonException(); // no message: the serializer names the field and the type expected
            // 68.0400000000000000000000000001 would be read as 68.04 and pass the two-decimals check: refused instead.
            var digits = reader.HasValueSequence
                ? SignificantDigits(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
                : SignificantDigits(reader.ValueSpan);
            if (digits > DecimalDigits)
                throw new JsonValueRefused(
                    $"The number has more than {DecimalDigits} significant digits; amounts have at most two decimals."
                );
            return reader.GetDecimal();
        }

        /// <summary>The digits of a JSON number's mantissa, without leading zeros or trailing zeros after the point
        /// (read from the token's bytes: no allocation on the hot path).</summary>
        private static int SignificantDigits(ReadOnlySpan<byte> number)
        {
            var exponent = number.IndexOfAny((byte)'e', (byte)'E');
            var mantissa = exponent < 0 ? number : number[..exponent];
            var point = mantissa.IndexOf((byte)'.');
            var whole = (point < 0 ? mantissa : mantissa[..point]).TrimStart((byte)'-').TrimStart((byte)'0');
            var fraction = point < 0 ? [] : mantissa[(point + 1)..].TrimEnd((byte)'0');
            // With no whole digits, the fraction's leading zeros are not significant either (0.000123).
            return whole.Length == 0 ? fraction.TrimStart((byte)'0').Length : whole.Length + fraction.Length;
        }

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

/// <summary>A value refused by the ledger's own converter, with the reason to give (the serializer adds its path).</summary>
public sealed class JsonValueRefused(string message) : JsonException(message);
