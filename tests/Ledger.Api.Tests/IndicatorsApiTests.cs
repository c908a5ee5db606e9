using System.Xml.Linq;
using Alba;
using JasperFx.Events;
using Marten.Events;
using Marten;
using NodaTime;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.Enrolling;
using Salex.Ledger.Api.Features.Indicators;
using Salex.Ledger.Calendar;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The indicators of a population generated through the API (enrolments with sexes and countries, payments on
/// time, late and in advance, arrears, lapses, a return, a withdrawal, a re-enrolment, dependants added and
/// removed), checked against a recomputation from the raw events written here, independently of ProgrammeTally.
/// </summary>
public sealed class IndicatorsApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const string From = "2018-01-01", To = "2019-06-30";
    private const decimal Contribution = 55.92m; // every period of 2018–2019 (minimum wage US$300)
    private static readonly string[] Countries = ["US", "SE", "IT", "ES", "AU", "CA"];

    private async Task<IScenarioResult> Send(string method, string url, object? body, string key, int status)
    {
        var result = await Host.Scenario(s =>
        {
            if (method == "POST") s.Post.Json(body!).ToUrl(url);
            else s.Delete.Url(url);
            s.WithRequestHeader("X-Api-Key", key);
            s.IgnoreStatusCode();
        });
        if (result.Context.Response.StatusCode != status)
            throw new ShouldAssertException($"{method} {url}: {result.Context.Response.StatusCode} {result.ReadAsText()}");
        return result;
    }

    private async Task<string> Enrol(string dui, LocalDate on, string? sex, string country, LocalDate birth, object[] beneficiaries)
    {
        var r = await Send("POST", "/api/insured", new
        {
            dui, fullName = "Persona de Prueba", birthDate = Dates.Format(birth), countryOfResidence = country,
            enrolledOn = Dates.Format(on), sex,
            eligibilityChecks = new { identityVerified = true, residesAbroad = true, notInsuredElsewhere = true },
            beneficiaries,
        }, Keys.Enrolment, 201);
        return (await r.ReadAsJsonAsync<EnrolResponse>())!.AffiliationNumber;
    }

    private Task Pay(string n, LocalDate on, decimal amount) =>
        Send("POST", $"/api/insured/{n}/payments", Scenarios.PaymentBody(Dates.Format(on), amount, Guid.NewGuid().ToString("N")[..16]),
            Keys.Finance, 201);

    /// <summary>Forty insured enrolled over 2018; plans by <c>i % 5</c> with a few people of their own.</summary>
    private async Task GeneratePopulationAsync()
    {
        for (var i = 0; i < 40; i++)
        {
            var enrolledOn = new LocalDate(2018, 1, 5).PlusDays(i * 37 % 330);
            var sex = (i % 3) switch { 0 => "F", 1 => "M", _ => null };
            var birth = new LocalDate(1960 + i * 7 % 38, 3, 15);
            var beneficiaries = new List<object>();
            if (i % 4 == 0) beneficiaries.Add(new { fullName = "Cónyuge", birthDate = "1980-01-01", relationship = "Spouse" });
            if (i % 5 == 0) beneficiaries.Add(new { fullName = "Hija", birthDate = "2012-06-01", relationship = "Child" });
            var dui = Scenarios.NewDui();
            var n = await Enrol(dui, enrolledOn, sex, Countries[i % 6], birth, [.. beneficiaries]);
            var first = Periods.PeriodOf(enrolledOn).Next();
            LocalDate OnTime(YearMonth p) => p.OnDayOfMonth(10);

            switch (i)
            {
                case 4: // pays three periods, returns to El Salvador, pays through the return window's month
                    for (var k = 0; k < 3; k++) await Pay(n, OnTime(first.PlusMonths(k)), Contribution);
                    var returnedOn = first.PlusMonths(2).OnDayOfMonth(15);
                    await Send("POST", $"/api/insured/{n}/return", new { returnedOn = Dates.Format(returnedOn) }, Keys.Enrolment, 200);
                    for (var k = 3; k <= 8; k++) await Pay(n, OnTime(first.PlusMonths(k)), Contribution);
                    continue;
                case 9: // pays three periods and withdraws from the fourth
                    for (var k = 0; k < 3; k++) await Pay(n, OnTime(first.PlusMonths(k)), Contribution);
                    await Send("POST", $"/api/insured/{n}/withdraw", new { effectiveOn = Dates.Format(first.PlusMonths(3).FirstDay()) },
                        Keys.Enrolment, 200);
                    continue;
                case 14: // pays two periods, lapses, enrols again in 2019 and pays three
                    for (var k = 0; k < 2; k++) await Pay(n, OnTime(first.PlusMonths(k)), Contribution);
                    await Enrol(dui, new LocalDate(2019, 3, 4), sex, Countries[i % 6], birth, []);
                    for (var k = 0; k < 3; k++) await Pay(n, OnTime(new YearMonth(2019, 4).PlusMonths(k)), Contribution);
                    continue;
                case 19: // a child joins the family group in the third month
                    await Send("POST", $"/api/insured/{n}/beneficiaries", new
                    {
                        fullName = "Hijo", birthDate = "2015-02-02", relationship = "Child",
                        effectiveOn = Dates.Format(first.PlusMonths(2).OnDayOfMonth(3)),
                    }, Keys.Enrolment, 201);
                    break;
                case 20: // the spouse leaves the family group in the second month
                    var summary = await Host.SummaryAsync(n);
                    var spouse = summary.Beneficiaries.Single(b => b.Relationship == "Spouse");
                    await Send("DELETE", $"/api/insured/{n}/beneficiaries/{spouse.Id}?effectiveOn={Dates.Format(first.PlusMonths(1).OnDayOfMonth(2))}",
                        null, Keys.Enrolment, 204);
                    break;
            }
            var months = 4 + i % 9;
            switch (i % 5)
            {
                case 0 or 4: // on time, on the 10th of each period
                    for (var k = 0; k < months; k++) await Pay(n, OnTime(first.PlusMonths(k)), Contribution);
                    break;
                case 1: // late: on the 8th of the next month, at most 15 days late: 5 % (2.80)
                    for (var k = 0; k < months; k++) await Pay(n, first.PlusMonths(k + 1).OnDayOfMonth(8), 58.72m);
                    break;
                case 2: // six periods at once on the first period's first day: one due, five in advance
                    await Pay(n, first.FirstDay(), 6 * Contribution);
                    break;
                case 3: // two periods, then nothing
                    await Pay(n, OnTime(first), Contribution);
                    await Pay(n, OnTime(first.Next()), Contribution);
                    break;
            }
        }
        // Lapses recorded as of today (2026-11-23), and the reserve's async projection caught up.
        await Send("POST", "/api/admin/lapse-sweep", new { }, Keys.Admin, 200);
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task the_indicators_of_a_generated_population_match_a_recomputation_from_the_events()
    {
        await GeneratePopulationAsync();
        var actual = await Host.GetJsonAsync<ProgrammeIndicators>($"/api/indicators?from={From}&to={To}", Keys.Finance);
        var expected = await Recomputation.FromEventsAsync(Fixture.Store, LocalDate.FromDateTime(DateTime.Parse(From)),
            LocalDate.FromDateTime(DateTime.Parse(To)), new LocalDate(2026, 11, 23));

        // The population is what it was meant to be: every kind of figure has something in it.
        expected.Months.Sum(m => m.Lapsed).ShouldBeGreaterThan(5);
        expected.Months.Sum(m => m.Returned).ShouldBe(1);
        expected.Months.Sum(m => m.Reenrolments).ShouldBe(1);
        expected.Months.Sum(m => m.InArrears).ShouldBeGreaterThan(0);
        expected.Months.Sum(m => m.Advances).ShouldBeGreaterThan(0m);
        expected.Months.Sum(m => m.Surcharges).ShouldBeGreaterThan(0m);

        actual.Months.Select(m => m.Month).ShouldBe(expected.Months.Select(m => m.Month));
        foreach (var (a, e) in actual.Months.Zip(expected.Months))
        {
            var got = (a.Enrolled, a.Covered, a.InArrears, a.Contributing, a.NewEnrolments, a.Reenrolments, a.Lapsed, a.Returned,
                a.DependantsCovered, a.PersonsCovered, a.Contributions, a.Surcharges, a.Advances, a.Cost, a.Balance);
            var want = (e.Enrolled, e.Covered, e.InArrears, e.Contributing, e.NewEnrolments, e.Reenrolments, e.Lapsed, e.Returned,
                e.DependantsCovered, e.Covered + e.DependantsCovered, e.Contributions, e.Surcharges, e.Advances,
                (e.Covered + e.DependantsCovered) * 42.79m,
                e.Contributions + e.Surcharges + e.Advances - (e.Covered + e.DependantsCovered) * 42.79m);
            got.ShouldBe(want, $"month {a.Month}");
            a.EnrolmentTarget.ShouldBe(416.67m);
        }

        var t = actual.Totals;
        t.Contributors.ShouldBe(expected.Contributors);
        t.NewEnrolments.ShouldBe(41);
        t.EnrolmentTarget.ShouldBe(18 * 416.67m);
        t.Enrolled.ShouldBe(expected.Months[^1].Enrolled);
        t.Lapsed.ShouldBe(expected.Months.Sum(m => m.Lapsed));
        t.Contributions.ShouldBe(expected.Months.Sum(m => m.Contributions));
        t.Balance.ShouldBe(actual.Months.Sum(m => m.Balance));
        t.Dependants.ShouldBe(expected.Dependants.Values.Sum(d => d.Members));

        actual.BySex.Select(r => (r.Key, r.Enrolled, r.Contributors)).ShouldBe(expected.Breakdown("sex"));
        actual.ByAgeBand.Where(r => r.Enrolled + r.Contributors > 0).Select(r => (r.Key, r.Enrolled, r.Contributors))
            .OrderBy(r => r.Key).ShouldBe(expected.Breakdown("age").OrderBy(r => r.Key));
        actual.ByCountry.Select(r => (r.Key, r.Enrolled, r.Contributors)).OrderBy(r => r.Key)
            .ShouldBe(expected.Breakdown("country").OrderBy(r => r.Key));
        actual.Dependants.Select(d => (d.Relationship, d.Dependants, d.Covered))
            .ShouldBe(expected.Dependants.Select(d => (d.Key, d.Value.Members, d.Value.Covered)).OrderByDescending(d => d.Key == "Spouse"));

        actual.ArrearsAgeing.Where(a => a.Persons > 0).Select(a => (a.Band, a.Persons, a.Owed)).OrderBy(a => a.Band)
            .ShouldBe(expected.Ageing.Select(a => (a.Key, a.Value.Persons, a.Value.Owed)).OrderBy(a => a.Key));

        actual.Retention.Select(c => (c.Cohort, c.Enrolled, string.Join(",", c.After.Select(p => $"{p.Months}:{p.StillCovered}:{p.Share:0.####}"))))
            .ShouldBe(expected.Retention.Select(c => (c.Cohort, c.Enrolled,
                string.Join(",", c.Covered.Select((n, k) => $"{new[] { 3, 6, 12, 24 }[k]}:{n}:{Math.Round((decimal)n / c.Enrolled, 4):0.####}")))));

        actual.Reserve.Select(y => (y.Year, y.BaseContributions, y.Insured)).ShouldBe(expected.ReserveYears);
        actual.ReserveTotal.ShouldBe(actual.Reserve[^1].RunningTotal);
    }

    [Fact]
    public async Task the_csv_holds_the_same_figures_as_the_json()
    {
        var a = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var b = await Host.EnrolAsync(enrolledOn: "2018-03-02", beneficiaries: [new { fullName = "Hijo", birthDate = "2014-01-01", relationship = "Child" }]);
        await Host.PayAsync(a, "2018-02-01", 3 * 55.92m);
        await Host.PayAsync(b, "2018-05-05", 58.72m);
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
        var url = "/api/indicators?from=2018-01-01&to=2018-06-30"; // b owes 05 and 06 then: enrolled, child counted
        var json = await Host.GetJsonAsync<ProgrammeIndicators>(url, Keys.Auditor);
        var byAccept = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.WithRequestHeader("Accept", "text/csv");
        });
        byAccept.Context.Response.ContentType.ShouldStartWith("text/csv");
        var csv = byAccept.ReadAsText();
        var byFormat = await Host.Scenario(s =>
        {
            s.Get.Url(url + "&format=csv");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
        });
        byFormat.ReadAsText().ShouldBe(csv);

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("section,key,measure,value");
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => (c[0], c[1], c[2]), c => c[3]);
        cells[("summary", "", "from")].ShouldBe("2018-01-01");
        cells[("summary", "", "reserveTotal")].ShouldBe(json.ReserveTotal.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var p in typeof(Salex.Ledger.Indicators.PeriodTotals).GetProperties())
            cells[("totals", "", char.ToLowerInvariant(p.Name[0]) + p.Name[1..])].ShouldBe(Text(p.GetValue(json.Totals)), p.Name);
        foreach (var m in json.Months)
            foreach (var p in typeof(MonthIndicators).GetProperties().Where(p => p.Name != "Month"))
                cells[("months", m.Month, char.ToLowerInvariant(p.Name[0]) + p.Name[1..])].ShouldBe(Text(p.GetValue(m)), $"{m.Month} {p.Name}");
        foreach (var r in json.ArrearsAgeing)
            cells[("arrearsAgeing", r.Band, "persons")].ShouldBe(r.Persons.ToString());
        foreach (var c in json.Retention)
            foreach (var p in c.After)
                cells[("retention", c.Cohort, $"after[{p.Months}].share")].ShouldBe(p.Share is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        cells[("dependants", "Child", "dependants")].ShouldBe("1");
        cells[("reserve", "2018", "baseContributions")].ShouldBe(Text(json.Reserve.Single().BaseContributions));
        json.Totals.Surcharges.ShouldBe(2.80m);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        decimal d => d.ToString(d == decimal.Round(d, 2) ? "0.00" : "0.####", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [Theory]
    [InlineData("enrolments", "es", "Nuevas afiliaciones", "Cotizantes (pagaron en el mes)")]
    [InlineData("enrolments", "en", "New enrolments", "Target: 5,000 a year")]
    [InlineData("arrears-ageing", "es", "Personas", null)]
    [InlineData("retention", "en", "after 3 months", "after 24 months")]
    [InlineData("reserve", "es", "Acumulado en el año", "Total de la reserva")]
    public async Task each_chart_is_valid_svg_with_its_series_and_no_external_reference(string chart, string lang, string series, string? other)
    {
        var a = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.EnrolAsync(enrolledOn: "2018-02-10");
        await Host.PayAsync(a, "2018-02-01", 2 * 55.92m);
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/indicators/charts/{chart}.svg?from=2018-01-01&to=2018-12-31&lang={lang}");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
        });
        result.Context.Response.ContentType.ShouldStartWith("image/svg+xml");
        var text = result.ReadAsText();
        var svg = XDocument.Parse(text).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        svg.Name.ShouldBe(ns + "svg");
        svg.Attribute("width")!.Value.ShouldBe("800");
        svg.Attribute("height")!.Value.ShouldBe("400");
        var names = svg.Descendants().Select(e => e.Attribute("data-series")?.Value).OfType<string>().ToList();
        names.ShouldContain(series);
        if (other is not null) names.ShouldContain(other);
        // Something drawn for the series, and readable text: a legend entry, labels.
        svg.Descendants(ns + "g").First(g => g.Attribute("data-series")?.Value == series).Elements().ShouldNotBeEmpty();
        svg.Descendants(ns + "text").Select(e => e.Value).ShouldContain(series);
        // Renders offline: no script, no link, no external font or image.
        svg.Descendants(ns + "script").ShouldBeEmpty();
        text.ShouldNotContain("href");
        text.ShouldNotContain("@import");
        text.Replace("http://www.w3.org/2000/svg", "").ShouldNotContain("http");
    }

    [Fact]
    public async Task the_indicators_are_for_finance_auditors_and_admins_only()
    {
        foreach (var (key, status) in new[] { (Keys.Finance, 200), (Keys.Auditor, 200), (Keys.Admin, 200), (Keys.RightsReader, 403),
                     (Keys.Enrolment, 403), (Keys.PolicyAdmin, 403), (null, 401) })
        foreach (var url in new[] { "/api/indicators", "/api/indicators/charts/reserve.svg" })
            await Host.Scenario(s =>
            {
                s.Get.Url(url);
                if (key is not null) s.WithRequestHeader("X-Api-Key", key);
                s.StatusCodeShouldBe(status);
            });
    }

    [Theory]
    [InlineData("/api/indicators?from=2018-13-01", 400, "from")]
    [InlineData("/api/indicators?to=2018-02-30", 400, "to")]
    [InlineData("/api/indicators?from=2019-01-01&to=2018-01-01", 400, "from")]
    [InlineData("/api/indicators?to=2026-11-24", 400, "to")]
    [InlineData("/api/indicators?from=1990-01-01&to=2026-11-01", 400, "from")]
    [InlineData("/api/indicators?from=1899-12-31", 400, "from")]
    [InlineData("/api/indicators?format=xml", 400, "format")]
    [InlineData("/api/indicators?from=2018-01-01%00", 400, "from")]
    [InlineData("/api/indicators/charts/pie.svg", 404, "chart")]
    [InlineData("/api/indicators/charts/reserve.svg?lang=fr", 400, "lang")]
    [InlineData("/api/indicators/charts/reserve.svg?from=x", 400, "from")]
    public async Task bad_input_is_a_problem_naming_the_field(string url, int status, string field)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(status);
        });
        (await result.ProblemAsync()).Errors!.Keys.ShouldContain(field);
    }

    [Fact]
    public async Task the_longest_period_and_an_empty_ledger_answer()
    {
        var empty = await Host.GetJsonAsync<ProgrammeIndicators>("/api/indicators?from=2006-12-01&to=2026-11-23");
        empty.Months.Count.ShouldBe(240);
        empty.Totals.Enrolled.ShouldBe(0);
        empty.Retention.ShouldBeEmpty();
        var byDefault = await Host.GetJsonAsync<ProgrammeIndicators>("/api/indicators");
        (byDefault.From, byDefault.To, byDefault.Months.Count).ShouldBe(("2025-12-01", "2026-11-23", 12));
        foreach (var chart in IndicatorCharts.Names)
        {
            var svg = await Host.Scenario(s =>
            {
                s.Get.Url($"/api/indicators/charts/{chart}.svg?from=2006-12-01");
                s.WithRequestHeader("X-Api-Key", Keys.Admin);
            });
            XDocument.Parse(svg.ReadAsText()).Root!.Name.LocalName.ShouldBe("svg");
        }
    }

    [Fact]
    public async Task sex_is_optional_validated_and_never_in_a_rights_answer()
    {
        var body = (object sex) => new
        {
            dui = Scenarios.NewDui(), fullName = "Ana", birthDate = "1985-06-02", countryOfResidence = "US", enrolledOn = "2018-01-10", sex,
            eligibilityChecks = new { identityVerified = true, residesAbroad = true, notInsuredElsewhere = true },
        };
        foreach (var bad in new object[] { "X", "1", "female\u0000", 1 })
        {
            var refused = await Host.Scenario(s =>
            {
                s.Post.Json(body(bad)).ToUrl("/api/insured");
                s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
                s.StatusCodeShouldBe(400);
            });
            (await refused.ProblemAsync()).Errors!.Keys.ShouldContain("sex");
        }
        (await Host.EventCountAsync()).ShouldBe(0);
        var created = await Send("POST", "/api/insured", body("f"), Keys.Enrolment, 201);
        var n = (await created.ReadAsJsonAsync<EnrolResponse>())!.AffiliationNumber;
        await Host.EnrolAsync(); // without sex
        await using (var session = Fixture.Store.QuerySession())
            (await session.LoadAsync<Salex.Ledger.Accounts.Account>(n))!.Sex.ShouldBe(Sex.F);
        var rights = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/rights/{n}?on=2018-03-01");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
        });
        rights.ReadAsText().ShouldNotContain("sex", Case.Insensitive);
        var i = await Host.GetJsonAsync<ProgrammeIndicators>("/api/indicators?from=2018-01-01&to=2018-01-31");
        i.BySex.Select(r => (r.Key, r.Enrolled)).ShouldBe([("F", 1), ("M", 0), ("unknown", 1)]);
    }
}
