using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Salex.Ledger.Accounts;

namespace Salex.Projections;

/// <summary>
/// A paid period read and written by hand, as exactly the JSON System.Text.Json writes and accepts for it by itself
/// (camelCase names, in the record's order, <c>refundedOn</c> written as null; any order read, unknown names
/// skipped, missing ones at their defaults). An account holds one per month paid (19 on average, hundreds for a
/// long history) and every rights answer reads them all: through the serializer's general path they were most of
/// an account's reading time (docs/benchmarks.md, "The rights answer's own work"). A test holds this converter's
/// output equal to the serializer's own, byte for byte.
/// </summary>
public sealed class PaidPeriodJsonConverter : JsonConverter<PaidPeriod>
{
    private static readonly JsonEncodedText EpisodeName = JsonEncodedText.Encode("episode");
    private static readonly JsonEncodedText PeriodName = JsonEncodedText.Encode("period");
    private static readonly JsonEncodedText PaidOnName = JsonEncodedText.Encode("paidOn");
    private static readonly JsonEncodedText BaseName = JsonEncodedText.Encode("base");
    private static readonly JsonEncodedText SurchargeName = JsonEncodedText.Encode("surcharge");
    private static readonly JsonEncodedText BankCodeName = JsonEncodedText.Encode("bankCode");
    private static readonly JsonEncodedText ReferenceName = JsonEncodedText.Encode("reference");
    private static readonly JsonEncodedText RefundedOnName = JsonEncodedText.Encode("refundedOn");

    private readonly IsoLocalDateConverter _date = new();
    private readonly IsoYearMonthConverter _month = new();

    public override PaidPeriod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A paid period must be a JSON object, not {reader.TokenType}.");
        // The defaults of the record's constructor for System.Text.Json.
        int episode = 0;
        YearMonth period = default;
        LocalDate paidOn = default;
        decimal @base = 0m,
            surcharge = 0m;
        string bankCode = "",
            reference = "";
        LocalDate? refundedOn = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // jsonb stores keys shortest first, so a stored account lists them in that order.
            if (reader.ValueTextEquals(BaseName.EncodedUtf8Bytes))
                @base = NextValue(ref reader).GetDecimal();
            else if (reader.ValueTextEquals(PaidOnName.EncodedUtf8Bytes))
                paidOn = _date.Read(ref NextValue(ref reader), typeof(LocalDate), options);
            else if (reader.ValueTextEquals(PeriodName.EncodedUtf8Bytes))
                period = _month.Read(ref NextValue(ref reader), typeof(YearMonth), options);
            else if (reader.ValueTextEquals(EpisodeName.EncodedUtf8Bytes))
                episode = NextValue(ref reader).GetInt32();
            else if (reader.ValueTextEquals(BankCodeName.EncodedUtf8Bytes))
                bankCode = NextValue(ref reader).GetString()!;
            else if (reader.ValueTextEquals(ReferenceName.EncodedUtf8Bytes))
                reference = NextValue(ref reader).GetString()!;
            else if (reader.ValueTextEquals(SurchargeName.EncodedUtf8Bytes))
                surcharge = NextValue(ref reader).GetDecimal();
            else if (reader.ValueTextEquals(RefundedOnName.EncodedUtf8Bytes))
                refundedOn =
                    NextValue(ref reader).TokenType == JsonTokenType.Null
                        ? null
                        : _date.Read(ref reader, typeof(LocalDate), options);
            else
                NextValue(ref reader).Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            throw new JsonException("A paid period's JSON object is not closed.");
        return new PaidPeriod(episode, period, paidOn, @base, surcharge, bankCode, reference)
        {
            RefundedOn = refundedOn,
        };
    }

    /// <summary>Moves from a property's name to its value.</summary>
    private static ref Utf8JsonReader NextValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("A paid period's property has no value.");
        return ref reader;
    }

    public override void Write(Utf8JsonWriter writer, PaidPeriod value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(EpisodeName, value.Episode);
        writer.WritePropertyName(PeriodName);
        _month.Write(writer, value.Period, options);
        writer.WritePropertyName(PaidOnName);
        _date.Write(writer, value.PaidOn, options);
        writer.WriteNumber(BaseName, value.Base);
        writer.WriteNumber(SurchargeName, value.Surcharge);
        writer.WriteString(BankCodeName, value.BankCode);
        writer.WriteString(ReferenceName, value.Reference);
        if (value.RefundedOn is { } refundedOn)
        {
            writer.WritePropertyName(RefundedOnName);
            _date.Write(writer, refundedOn, options);
        }
        else
            writer.WriteNull(RefundedOnName);
        writer.WriteEndObject();
    }
}
