using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;
using Weasel.Core;
using Weasel.Storage;

namespace Salex.Projections;

/// <summary>
/// Marten's System.Text.Json serializer (camelCase, enums as strings, NodaTime's ISO formats), with three changes
/// that the rights read path's profiles asked for (docs/benchmarks.md, "The serializer" and "The rights read path in
/// turns"):
/// <list type="bullet">
/// <item>A document read from a row is copied whole, asynchronously, into memory and then deserialised
/// synchronously. Marten's own path deserialised from the database stream asynchronously, the slow resumable
/// mode of System.Text.Json: 55 µs against 38 µs for an account of 4 KB.</item>
/// <item>Dates and months (an account holds a few hundred) are read and written by a fixed-shape ISO parser,
/// falling back to NodaTime's own converters for anything else (years outside 1–9999, escaped strings, other
/// calendars), so what is accepted and what is written is exactly what NodaTime's converters accept and
/// write.</item>
/// <item>An account's paid periods are read and written by <see cref="PaidPeriodJsonConverter"/>, exactly as
/// System.Text.Json would, without its general path.</item>
/// </list>
/// </summary>
public sealed class LedgerSerializer : Marten.Services.SystemTextJsonSerializer, IStorageSerializer
{
    public LedgerSerializer()
    {
        EnumStorage = EnumStorage.AsString;
        Casing = Casing.CamelCase;
        Configure(Options);
    }

    /// <summary>The settings above as options of System.Text.Json's own, for writing UTF-8 without Marten's string
    /// (the history load's COPY; a test holds what it stores equal to what Marten's bulk insertion stores) and for
    /// tools that read and write the ledger's JSON outside Marten (the benchmark's raw baselines).</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter() },
        };
        Options(json);
        return json;
    }

    /// <summary>A document or event as UTF-8 JSON, as <see cref="Marten.Services.SystemTextJsonSerializer.ToJson"/>
    /// writes it.</summary>
    public static byte[] ToUtf8Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json);

    /// <summary>The JSON options of the ledger's documents and events (also for tests and tools that read them
    /// outside Marten).</summary>
    public static void Options(JsonSerializerOptions o)
    {
        // Before NodaTime's: the first converter that handles a type wins.
        o.Converters.Add(new PaidPeriodJsonConverter());
        o.Converters.Add(new IsoLocalDateConverter());
        o.Converters.Add(new IsoYearMonthConverter());
        o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
    }

    async ValueTask<T> IStorageSerializer.FromJsonAsync<T>(DbDataReader reader, int index, CancellationToken token)
    {
        using var json = await ReadAsync(reader, index, token);
        return FromJson<T>(json.Stream);
    }

    async ValueTask<object> IStorageSerializer.FromJsonAsync(
        Type type,
        DbDataReader reader,
        int index,
        CancellationToken token
    )
    {
        using var json = await ReadAsync(reader, index, token);
        return FromJson(type, json.Stream);
    }

    /// <summary>The column's JSON whole in memory: in a buffer borrowed from the shared pool when its length is
    /// known (an account is read on every rights answer, and a new 4 KB buffer for each was about a third of what an
    /// answer allocated once the rule's own allocations were cut), else copied into a stream of its own.</summary>
    private static async Task<PooledJson> ReadAsync(DbDataReader reader, int index, CancellationToken token)
    {
        await using var stream = reader is NpgsqlDataReader npgsql
            ? await npgsql.GetStreamAsync(index, token)
            : reader.GetStream(index);
        if (stream.CanSeek)
        {
            var length = checked((int)stream.Length);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                await stream.ReadExactlyAsync(buffer.AsMemory(0, length), token);
                return new PooledJson(new MemoryStream(buffer, 0, length, writable: false), buffer);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, token);
        copy.Position = 0;
        return new PooledJson(copy, null);
    }

    /// <summary>JSON read from a column; the buffer goes back to the pool once it has been deserialised.</summary>
    private readonly record struct PooledJson(MemoryStream Stream, byte[]? Pooled) : IDisposable
    {
        public void Dispose()
        {
            Stream.Dispose();
            if (Pooled is not null)
                ArrayPool<byte>.Shared.Return(Pooled);
        }
    }
}

/// <summary>A NodaTime value written and read as fixed-width ISO text where it can be, by NodaTime's own converter
/// everywhere else (so both accept and write exactly the same).</summary>
public abstract class FixedIsoConverter<T>(JsonConverter noda) : JsonConverter<T>
    where T : struct
{
    private readonly JsonConverter<T> _noda = (JsonConverter<T>)noda;

    /// <summary>The value of <paramref name="text"/> when it has the fixed shape; false otherwise.</summary>
    protected abstract bool TryParse(ReadOnlySpan<byte> text, out T value);

    /// <summary>The fixed-shape text of <paramref name="value"/> (at most 10 bytes); false when it has none.</summary>
    protected abstract bool TryFormat(T value, Span<byte> into, out int written);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && !reader.ValueIsEscaped
        && !reader.HasValueSequence
        && TryParse(reader.ValueSpan, out var value)
            ? value
            : _noda.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[10];
        if (TryFormat(value, text, out var written))
            writer.WriteStringValue(text[..written]);
        else
            _noda.Write(writer, value, options);
    }

    public override T ReadAsPropertyName(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) => _noda.ReadAsPropertyName(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        _noda.WriteAsPropertyName(writer, value, options);
}

/// <summary><c>yyyy-MM-dd</c> for ISO dates of years 1–9999.</summary>
public sealed class IsoLocalDateConverter() : FixedIsoConverter<LocalDate>(NodaConverters.LocalDateConverter)
{
    protected override bool TryParse(ReadOnlySpan<byte> text, out LocalDate value)
    {
        value = default;
        if (
            text.Length != 10
            || !IsoDigits.TryReadYearMonth(text, out var year, out var month)
            || text[7] != '-'
            || !IsoDigits.TryRead(text.Slice(8, 2), out var day)
            || day < 1
            || day > DateTime.DaysInMonth(year, month)
        )
            return false;
        value = new LocalDate(year, month, day);
        return true;
    }

    protected override bool TryFormat(LocalDate value, Span<byte> into, out int written)
    {
        written = 0;
        if (!IsoDigits.HasFixedShape(value.Calendar, value.Year))
            return false;
        IsoDigits.WriteYearMonth(into, value.Year, value.Month);
        into[7] = (byte)'-';
        IsoDigits.Write(into.Slice(8, 2), value.Day);
        written = 10;
        return true;
    }
}

/// <summary><c>yyyy-MM</c> for ISO months of years 1–9999.</summary>
public sealed class IsoYearMonthConverter() : FixedIsoConverter<YearMonth>(NodaConverters.YearMonthConverter)
{
    protected override bool TryParse(ReadOnlySpan<byte> text, out YearMonth value)
    {
        value = default;
        if (text.Length != 7 || !IsoDigits.TryReadYearMonth(text, out var year, out var month))
            return false;
        value = new YearMonth(year, month);
        return true;
    }

    protected override bool TryFormat(YearMonth value, Span<byte> into, out int written)
    {
        written = 0;
        if (!IsoDigits.HasFixedShape(value.Calendar, value.Year))
            return false;
        IsoDigits.WriteYearMonth(into, value.Year, value.Month);
        written = 7;
        return true;
    }
}

internal static class IsoDigits
{
    /// <summary>Years NodaTime writes as four digits without a sign, in its ISO calendar.</summary>
    public static bool HasFixedShape(CalendarSystem calendar, int year) =>
        calendar == CalendarSystem.Iso && year is >= 1 and <= 9999;

    /// <summary><c>yyyy-MM</c> at the start of <paramref name="text"/> (at least 7 bytes), a real month of years
    /// 1–9999.</summary>
    public static bool TryReadYearMonth(ReadOnlySpan<byte> text, out int year, out int month)
    {
        month = 0;
        return TryRead(text[..4], out year)
            && text[4] == '-'
            && TryRead(text.Slice(5, 2), out month)
            && year >= 1
            && month is >= 1 and <= 12;
    }

    public static void WriteYearMonth(Span<byte> into, int year, int month)
    {
        Write(into[..4], year);
        into[4] = (byte)'-';
        Write(into.Slice(5, 2), month);
    }

    /// <summary>ASCII digits only: no sign, no spaces.</summary>
    public static bool TryRead(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
                return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }

    /// <summary>Zero-padded to the span's length.</summary>
    public static void Write(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10)
            into[i] = (byte)('0' + value % 10);
    }
}
