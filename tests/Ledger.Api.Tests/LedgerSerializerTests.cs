using System.Text.Json;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Salex.Projections;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The ledger's fixed-shape date and month converters (LedgerSerializer) against NodaTime's own: the same text
/// written, the same values read, the same strings refused. No database.
/// </summary>
public sealed class LedgerSerializerTests
{
    private static readonly JsonSerializerOptions Ledger = Options(LedgerSerializer.Options);
    private static readonly JsonSerializerOptions Noda = Options(o =>
        o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb)
    );

    private static JsonSerializerOptions Options(Action<JsonSerializerOptions> configure)
    {
        var o = new JsonSerializerOptions();
        configure(o);
        return o;
    }

    public static TheoryData<string> Dates() =>
        new() { "0001-01-01", "9999-12-31", "2024-02-29", "2000-02-29", "2025-12-31", "2026-01-01", "1970-06-15" };

    [Theory]
    [MemberData(nameof(Dates))]
    public void dates_are_written_and_read_as_nodatime_does(string text)
    {
        var date = JsonSerializer.Deserialize<LocalDate>($"\"{text}\"", Noda);
        JsonSerializer.Serialize(date, Ledger).ShouldBe(JsonSerializer.Serialize(date, Noda));
        JsonSerializer.Deserialize<LocalDate>($"\"{text}\"", Ledger).ShouldBe(date);
    }

    [Fact]
    public void every_day_of_four_centuries_round_trips_as_nodatime_writes_it()
    {
        // 1900-2299 holds every leap-year rule (1900 and 2100 not leap, 2000 leap).
        for (var d = new LocalDate(1900, 1, 1); d < new LocalDate(2300, 1, 1); d = d.PlusDays(1))
        {
            var json = JsonSerializer.Serialize(d, Ledger);
            json.ShouldBe(JsonSerializer.Serialize(d, Noda));
            JsonSerializer.Deserialize<LocalDate>(json, Ledger).ShouldBe(d);
        }
    }

    [Fact]
    public void every_month_of_the_calendar_round_trips_as_nodatime_writes_it()
    {
        for (var m = new YearMonth(1, 1); m < new YearMonth(9999, 12); m = m.PlusMonths(1))
        {
            var json = JsonSerializer.Serialize(m, Ledger);
            json.ShouldBe(JsonSerializer.Serialize(m, Noda));
            JsonSerializer.Deserialize<YearMonth>(json, Ledger).ShouldBe(m);
        }
    }

    [Fact]
    public void years_outside_the_fixed_shape_go_to_nodatime()
    {
        foreach (var date in new[] { new LocalDate(0, 1, 1), new LocalDate(-44, 3, 15), new LocalDate(-9998, 1, 1) })
        {
            var json = JsonSerializer.Serialize(date, Ledger);
            json.ShouldBe(JsonSerializer.Serialize(date, Noda));
            JsonSerializer.Deserialize<LocalDate>(json, Ledger).ShouldBe(date);
        }
        var month = new YearMonth(-5, 7);
        JsonSerializer.Deserialize<YearMonth>(JsonSerializer.Serialize(month, Ledger), Ledger).ShouldBe(month);
    }

    [Fact]
    public void escaped_strings_are_read_as_nodatime_reads_them()
    {
        // "2024-03-05" with its digits escaped: not the fixed shape, still a date.
        const string escaped = "\"\\u0032024-03-05\"";
        JsonSerializer
            .Deserialize<LocalDate>(escaped, Ledger)
            .ShouldBe(JsonSerializer.Deserialize<LocalDate>(escaped, Noda));
    }

    [Theory]
    [InlineData("\"2025-02-29\"")]
    [InlineData("\"2024-13-01\"")]
    [InlineData("\"2024-00-10\"")]
    [InlineData("\"2024-04-31\"")]
    [InlineData("\"2024-4-01\"")]
    [InlineData("\"+024-04-01\"")]
    [InlineData("\"2024-04-0a\"")]
    [InlineData("\"2024-04-01 \"")]
    [InlineData("\"2024/04/01\"")]
    [InlineData("\"\"")]
    [InlineData("20240401")]
    [InlineData("null")]
    [InlineData("\"2024-04-01\u0000\"")]
    public void a_date_nodatime_refuses_is_refused(string json)
    {
        Should.Throw<Exception>(() => JsonSerializer.Deserialize<LocalDate>(json, Noda));
        Should.Throw<Exception>(() => JsonSerializer.Deserialize<LocalDate>(json, Ledger));
    }

    [Theory]
    [InlineData("\"2024-13\"")]
    [InlineData("\"2024-00\"")]
    [InlineData("\"2024-1\"")]
    [InlineData("\"-024-01\"")]
    [InlineData("\"2024-01-01\"")]
    [InlineData("202401")]
    public void a_month_nodatime_refuses_is_refused(string json)
    {
        Should.Throw<Exception>(() => JsonSerializer.Deserialize<YearMonth>(json, Noda));
        Should.Throw<Exception>(() => JsonSerializer.Deserialize<YearMonth>(json, Ledger));
    }

    [Fact]
    public void dates_and_months_inside_documents_and_as_dictionary_keys_are_as_nodatime_writes_them()
    {
        var document = new Holder(
            new LocalDate(2024, 2, 29),
            new YearMonth(2024, 2),
            [new LocalDate(2024, 3, 1), new LocalDate(2025, 12, 31)],
            new() { [new YearMonth(2024, 1)] = 1, [new YearMonth(2024, 2)] = 2 },
            null
        );
        var json = JsonSerializer.Serialize(document, Ledger);
        json.ShouldBe(JsonSerializer.Serialize(document, Noda));
        var back = JsonSerializer.Deserialize<Holder>(json, Ledger)!;
        back.On.ShouldBe(document.On);
        back.Period.ShouldBe(document.Period);
        back.Days.ShouldBe(document.Days);
        back.ByPeriod.ShouldBe(document.ByPeriod);
        back.Maybe.ShouldBeNull();
    }

    public sealed record Holder(
        LocalDate On,
        YearMonth Period,
        List<LocalDate> Days,
        Dictionary<YearMonth, int> ByPeriod,
        LocalDate? Maybe
    );

    [Fact]
    public void a_paid_period_read_through_its_serializer_constructor_keeps_every_property()
    {
        // PaidPeriod is read by setting its properties (a private constructor for the serializer), not through its
        // seven-parameter constructor: a property the setters missed would be lost without a word.
        var serializer = new LedgerSerializer();
        var paid = new Salex.Ledger.Accounts.PaidPeriod(
            3,
            new YearMonth(2024, 2),
            new LocalDate(2024, 3, 29),
            68.04m,
            3.40m,
            "AGRICOLA",
            "REF-1"
        )
        {
            RefundedOn = new LocalDate(2025, 1, 2),
        };
        var json = serializer.ToJson(paid);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var read = serializer.FromJson<Salex.Ledger.Accounts.PaidPeriod>(stream);
        read.ShouldBe(paid);
        serializer.ToJson(read).ShouldBe(json);
        json.ShouldContain("\"refundedOn\":\"2025-01-02\"");
    }
}
