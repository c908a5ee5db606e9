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

    /// <summary>System.Text.Json's own reading and writing of a paid period: the ledger's options without
    /// <see cref="PaidPeriodJsonConverter"/>.</summary>
    private static readonly JsonSerializerOptions WithoutPaidPeriodConverter = Options(o =>
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        LedgerSerializer.Options(o);
        o.Converters.Remove(o.Converters.OfType<PaidPeriodJsonConverter>().Single());
    });

    private static IEnumerable<Salex.Ledger.Accounts.PaidPeriod> RandomPaidPeriods(int seed)
    {
        var rng = new Random(seed);
        string[] texts = ["AGRICOLA", "", "Peña & Hijos <S.A.>", "quote \" and \\ backslash", "línea\ttab", "😀", "0000000001"];
        decimal[] amounts = [0m, 0.00m, 68.04m, 55.90m, 1m, 123456789012.34m, -3.40m, 0.001m];
        for (var i = 0; i < 500; i++)
            yield return new Salex.Ledger.Accounts.PaidPeriod(
                rng.Next(1, 40),
                new YearMonth(rng.Next(1, 10000), rng.Next(1, 13)),
                new LocalDate(rng.Next(1, 10000), rng.Next(1, 13), rng.Next(1, 29)),
                amounts[rng.Next(amounts.Length)],
                amounts[rng.Next(amounts.Length)],
                texts[rng.Next(texts.Length)],
                texts[rng.Next(texts.Length)]
            )
            {
                RefundedOn = rng.Next(3) == 0 ? new LocalDate(rng.Next(1, 10000), rng.Next(1, 13), rng.Next(1, 29)) : null,
            };
    }

    [Fact]
    public void a_paid_period_is_written_and_read_by_its_converter_exactly_as_system_text_json_does_without_it()
    {
        foreach (var paid in RandomPaidPeriods(7))
        {
            var expected = JsonSerializer.Serialize(paid, WithoutPaidPeriodConverter);
            JsonSerializer.Serialize(paid, LedgerSerializer.Json).ShouldBe(expected);
            JsonSerializer.Deserialize<Salex.Ledger.Accounts.PaidPeriod>(expected, LedgerSerializer.Json).ShouldBe(paid);
        }
    }

    [Theory]
    // As jsonb stores it: keys shortest first, a space after each colon and comma.
    [InlineData("""{"base": 68.04, "paidOn": "2024-03-29", "period": "2024-02", "episode": 3, "bankCode": "AGRICOLA", "reference": "REF-1", "surcharge": 3.40, "refundedOn": null}""")]
    [InlineData("""{"base": 68.04, "paidOn": "2024-03-29", "period": "2024-02", "episode": 3, "bankCode": "AGRICOLA", "reference": "REF-1", "surcharge": 3.40, "refundedOn": "2025-01-02"}""")]
    // Unknown properties of any shape are skipped; missing ones keep their defaults; the last of a repeated one wins.
    [InlineData("""{"period":"2024-02","future":{"a":[1,{"b":null}]},"episode":3,"notes":[1,2],"x":"y"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"episode":1,"episode":2,"bankCode":null,"reference":"r"}""")]
    // Escaped names and values.
    [InlineData("""{"\u0065pisode":4,"bankCode":"Pe\u00f1a","paidOn":"\u0032024-03-29"}""")]
    public void a_paid_period_is_read_as_system_text_json_reads_it(string json)
    {
        var expected = JsonSerializer.Deserialize<Salex.Ledger.Accounts.PaidPeriod>(json, WithoutPaidPeriodConverter);
        JsonSerializer.Deserialize<Salex.Ledger.Accounts.PaidPeriod>(json, LedgerSerializer.Json).ShouldBe(expected);
    }

    [Theory]
    [InlineData("""{"episode":"1"}""")]
    [InlineData("""{"episode":null}""")]
    [InlineData("""{"base":"68.04"}""")]
    [InlineData("""{"paidOn":"2024-02-30"}""")]
    [InlineData("""{"period":2024}""")]
    [InlineData("""{"refundedOn":"yesterday"}""")]
    [InlineData("""[]""")]
    [InlineData("""{"episode":1""")]
    public void a_paid_period_system_text_json_refuses_is_refused(string json)
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Salex.Ledger.Accounts.PaidPeriod>(json, WithoutPaidPeriodConverter));
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Salex.Ledger.Accounts.PaidPeriod>(json, LedgerSerializer.Json));
    }
}
