using Marten;
using NodaTime;
using Salex.Ledger.Api.Features.Indicators;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// The programme's indicators for management: the figures of <c>GET /api/indicators</c> (read by the same <see
/// cref="IndicatorsReader"/> over the same period rules) as tables, and its four charts drawn by <see
/// cref="IndicatorCharts"/> in the page's language.
/// </summary>
public static class ProgrammePage
{
    public static async Task<IResult> Get(
        string? from,
        string? to,
        HttpContext context,
        IQuerySession session,
        IndicatorsReader reader,
        IClock clock,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var wire = new Wire();
        var (first, last) = IndicatorEndpoints.Range(from, to, ElSalvador.Today(clock), wire);
        Html form = $"""
            <form method="get" action="/console/programme" class="card inline">
            <label>{page.T("From")} <input type="date" name="from" value="{from ?? Dates.Format(first)}"></label>
            <label>{page.T("To")} <input type="date" name="to" value="{to ?? Dates.Format(last)}"></label>
            <button type="submit">{page.T("Show")}</button>
            <a href="/console/programme/indicators.csv?from={Dates.Format(first)}&amp;to={Dates.Format(
                last
            )}" download>{page.T("Download as CSV")}</a>
            </form>
            """;
        if (wire.Refusals.Count > 0)
        {
            var problem = Problems.From(wire.Refusals);
            return page.Render(
                page.T("Programme"),
                $"{form}{ConsoleProblems.Box(page, problem)}",
                ConsoleProblems.StatusOf(problem)
            );
        }
        var i = await reader.ReadAsync(session, first, last, ct);
        var t = i.Totals;
        var range = $"from={Uri.EscapeDataString(i.From)}&to={Uri.EscapeDataString(i.To)}";
        Html charts = $"""
            <div class="charts">
            {IndicatorCharts.Names.Select(name =>
                (Html)
                    $"<figure><img src=\"/console/programme/charts/{name}.svg?{range}\" alt=\"{page.T("Chart")}: {page.T(name)}\" width=\"720\" height=\"400\"><figcaption>{page.T(name)}</figcaption></figure>"
            )}
            </div>
            """;
        Html totals = $"""
            <section class="card summary" id="totals">
            <h2>{page.T("The period")} {i.From} … {i.To}</h2>
            <dl class="columns">
            <dt>{page.T("Enrolled")}</dt><dd>{t.Enrolled:N0}</dd>
            <dt>{page.T("Covered")}</dt><dd>{t.Covered:N0}</dd>
            <dt>{page.T("In arrears")}</dt><dd>{t.InArrears:N0}</dd>
            <dt>{page.T("Contributors")}</dt><dd>{t.Contributors:N0}</dd>
            <dt>{page.T("New enrolments")}</dt><dd>{t.NewEnrolments:N0} / {page.T("target")} {t.EnrolmentTarget:N0}</dd>
            <dt>{page.T("Re-enrolments")}</dt><dd>{t.Reenrolments:N0}</dd>
            <dt>{page.T("Lapsed")}</dt><dd>{t.Lapsed:N0} ({t.LapsedForNonPayment:N0} {page.T("for non-payment")})</dd>
            <dt>{page.T("Returned")}</dt><dd>{t.Returned:N0}</dd>
            <dt>{page.T("Dependants")}</dt><dd>{t.Dependants:N0} ({t.DependantsCovered:N0} {page.T("covered")})</dd>
            <dt>{page.T("Persons covered")}</dt><dd>{t.PersonsCovered:N0}</dd>
            <dt>{page.T("Contributions")}</dt><dd>{page.Money(t.Contributions)}</dd>
            <dt>{page.T("Surcharges")}</dt><dd>{page.Money(t.Surcharges)}</dd>
            <dt>{page.T("Advances")}</dt><dd>{page.Money(t.Advances)}</dd>
            <dt>{page.T("Cost")} ({page.Money(i.MonthlyCostPerCoveredPerson)} {page.T(
                "per person a month"
            )})</dt><dd>{page.Money(t.Cost)}</dd>
            <dt>{page.T("Balance")}</dt><dd class="{(t.Balance < 0 ? "bad" : "ok")}">{page.Money(t.Balance)}</dd>
            <dt>{page.T("Emergency reserve")}</dt><dd>{page.Money(i.ReserveTotal)}</dd>
            </dl>
            </section>
            """;
        Html months = $"""
            <h2>{page.T("Month by month")}</h2>
            <table id="months"><thead><tr><th>{page.T("Month")}</th><th>{page.T("Enrolled")}</th><th>{page.T(
                "Covered"
            )}</th><th>{page.T("In arrears")}</th><th>{page.T("Contributing")}</th><th>{page.T(
                "New enrolments"
            )}</th><th>{page.T("target")}</th><th>{page.T("Lapsed")}</th><th>{page.T("Returned")}</th><th>{page.T(
                "Persons covered"
            )}</th><th>{page.T("Contributions")}</th><th>{page.T("Surcharges")}</th><th>{page.T(
                "Advances"
            )}</th><th>{page.T("Cost")}</th><th>{page.T("Balance")}</th></tr></thead>
            <tbody>{i.Months.Select(m =>
                (Html)
                    $"<tr><td>{m.Month}</td><td class=\"num\">{m.Enrolled:N0}</td><td class=\"num\">{m.Covered:N0}</td><td class=\"num\">{m.InArrears:N0}</td><td class=\"num\">{m.Contributing:N0}</td><td class=\"num\">{m.NewEnrolments:N0}</td><td class=\"num\">{m.EnrolmentTarget:N0}</td><td class=\"num\">{m.Lapsed:N0}</td><td class=\"num\">{m.Returned:N0}</td><td class=\"num\">{m.PersonsCovered:N0}</td><td class=\"num\">{page.Money(m.Contributions)}</td><td class=\"num\">{page.Money(m.Surcharges)}</td><td class=\"num\">{page.Money(m.Advances)}</td><td class=\"num\">{page.Money(m.Cost)}</td><td class=\"num\">{page.Money(m.Balance)}</td></tr>"
            )}</tbody></table>
            """;
        Html breakdowns = $"""
            <div class="charts">
            {Breakdown(page, "By sex", i.BySex)}
            {Breakdown(page, "By age band", i.ByAgeBand)}
            {Breakdown(page, "By country of residence", i.ByCountry)}
            <section><h2>{page.T("Dependants by relationship")}</h2><table><thead><tr><th>{page.T(
                "Relationship"
            )}</th><th>{page.T("Dependants")}</th><th>{page.T("Covered")}</th></tr></thead>
            <tbody>{i.Dependants.Select(d =>
                (Html)
                    $"<tr><td>{page.T(d.Relationship)}</td><td class=\"num\">{d.Dependants:N0}</td><td class=\"num\">{d.Covered:N0}</td></tr>"
            )}</tbody></table></section>
            <section><h2>{page.T("Arrears ageing")}</h2><table id="ageing"><thead><tr><th>{page.T(
                "Band"
            )}</th><th>{page.T("Persons")}</th><th>{page.T("Owed")}</th></tr></thead>
            <tbody>{i.ArrearsAgeing.Select(a =>
                (Html)
                    $"<tr><td>{IndicatorCharts.AgeingLabel(a.Band, page.Language == "en")}</td><td class=\"num\">{a.Persons:N0}</td><td class=\"num\">{page.Money(a.Owed)}</td></tr>"
            )}</tbody></table></section>
            </div>
            <h2>{page.T("Retention")}</h2>
            <table id="retention"><thead><tr><th>{page.T("Cohort")}</th><th>{page.T("Enrolled")}</th>{(
                i.Retention.FirstOrDefault()?.After ?? []
            ).Select(p => (Html)$"<th>{p.Months} {page.T("months")}</th>")}</tr></thead>
            <tbody>{i.Retention.Select(c =>
                (Html)
                    $"<tr><td>{c.Cohort}</td><td class=\"num\">{c.Enrolled:N0}</td>{c.After.Select(p => (Html)$"<td class=\"num\">{(p.Share is { } s ? s.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) : "—")}</td>")}</tr>"
            )}</tbody></table>
            <h2>{page.T("Emergency reserve")}</h2>
            <table id="reserve"><thead><tr><th>{page.T("Year")}</th><th>{page.T("Base contributions")}</th><th>{page.T(
                "Insured"
            )}</th><th>5 %</th><th>{page.T("Accrued")}</th><th>{page.T("Running total")}</th></tr></thead>
            <tbody>{i.Reserve.Select(y =>
                (Html)
                    $"<tr><td>{y.Year}</td><td class=\"num\">{page.Money(y.BaseContributions)}</td><td class=\"num\">{y.Insured:N0}</td><td class=\"num\">{page.Money(y.FivePercent)}</td><td class=\"num\">{page.Money(y.Accrued)}</td><td class=\"num\">{page.Money(y.RunningTotal)}</td></tr>"
            )}</tbody></table>
            """;
        return page.Render(page.T("Programme"), $"{form}{charts}{totals}{months}{breakdowns}");
    }

    private static Html Breakdown(
        ConsolePage page,
        string title,
        IReadOnlyList<Salex.Ledger.Indicators.BreakdownRow> rows
    ) =>
        $"""
            <section><h2>{page.T(title)}</h2><table><thead><tr><th></th><th>{page.T("Enrolled")}</th><th>{page.T(
                "Contributors"
            )}</th></tr></thead>
            <tbody>{rows.Select(r =>
                (Html)
                    $"<tr><td>{page.T(r.Key)}</td><td class=\"num\">{r.Enrolled:N0}</td><td class=\"num\">{r.Contributors:N0}</td></tr>"
            )}</tbody></table></section>
            """;

    /// <summary>The same figures as the API's CSV (<c>GET /api/indicators?format=csv</c>).</summary>
    public static async Task<IResult> IndicatorsCsvFile(
        string? from,
        string? to,
        HttpContext context,
        IQuerySession session,
        IndicatorsReader reader,
        IClock clock,
        CancellationToken ct
    )
    {
        var wire = new Wire();
        var (first, last) = IndicatorEndpoints.Range(from, to, ElSalvador.Today(clock), wire);
        if (wire.Refusals.Count > 0)
            return new ConsolePage(context).Problem(Problems.From(wire.Refusals));
        var i = await reader.ReadAsync(session, first, last, ct);
        return Csv.Result($"indicators-{i.From}-{i.To}.csv", IndicatorsCsv.Columns, IndicatorsCsv.Rows(i));
    }

    /// <summary>One chart as SVG for the page's &lt;img&gt;, in the page's language.</summary>
    public static async Task<IResult> Chart(
        string chart,
        string? from,
        string? to,
        HttpContext context,
        IQuerySession session,
        IndicatorsReader reader,
        IndicatorCharts charts,
        IClock clock,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var name = chart.EndsWith(".svg", StringComparison.Ordinal) ? chart[..^4] : chart;
        if (!IndicatorCharts.Names.Contains(name))
            return page.Problem(
                Problems.NotFound("chart", $"'{Wire.Shown(name)}' is not a chart."),
                page.T("Not found")
            );
        var wire = new Wire();
        var (first, last) = IndicatorEndpoints.Range(from, to, ElSalvador.Today(clock), wire);
        if (wire.Refusals.Count > 0)
            return page.Problem(Problems.From(wire.Refusals));
        var indicators = await reader.ReadAsync(session, first, last, ct);
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Text(charts.Svg(name, indicators, page.Language), "image/svg+xml; charset=utf-8");
    }
}
