using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Indicators;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Indicators;

public static class IndicatorEndpoints
{
    /// <summary>The programme's indicators over a period (default: the twelve months to today), as JSON or, with
    /// <c>Accept: text/csv</c> or <c>format=csv</c>, as a CSV table.</summary>
    [WolverineGet("/api/indicators")]
    [Authorize(Roles = Roles.ReadIndicators)]
    [ProducesResponseType<ProgrammeIndicators>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    public static async Task<IResult> Get(
        string? from,
        string? to,
        string? format,
        HttpRequest request,
        IQuerySession session,
        IndicatorsReader reader,
        IClock clock,
        CancellationToken ct
    )
    {
        var wire = new Wire();
        var range = Range(from, to, ElSalvador.Today(clock), wire);
        var csv = format?.Trim().ToLowerInvariant() switch
        {
            null or "" => Csv.Wants(request),
            "csv" => true,
            "json" => false,
            _ => Refuse(wire, "format", $"'{Wire.Shown(format)}' is not one of: json, csv."),
        };
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        var indicators = await reader.ReadAsync(session, range.From, range.To, ct);
        return csv
            ? Csv.Result(
                $"indicators-{indicators.From}-{indicators.To}.csv",
                IndicatorsCsv.Columns,
                IndicatorsCsv.Rows(indicators)
            )
            : Results.Ok(indicators);
    }

    /// <summary>One chart of the same figures as SVG, labelled in Spanish (<c>lang=es</c>, the default) or
    /// English.</summary>
    [WolverineGet("/api/indicators/charts/{chart}.svg")]
    [Authorize(Roles = Roles.ReadIndicators)]
    [Produces("image/svg+xml")]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Chart(
        string chart,
        string? from,
        string? to,
        string? lang,
        IQuerySession session,
        IndicatorsReader reader,
        IndicatorCharts charts,
        IClock clock,
        CancellationToken ct
    )
    {
        if (!IndicatorCharts.Names.Contains(chart))
            return Problems.NotFound(
                "chart",
                $"'{Wire.Shown(chart)}' is not a chart; the charts are: {string.Join(", ", IndicatorCharts.Names)}."
            );
        var wire = new Wire();
        var range = Range(from, to, ElSalvador.Today(clock), wire);
        var culture = string.IsNullOrWhiteSpace(lang) ? "es" : lang.Trim().ToLowerInvariant();
        if (!IndicatorCharts.Cultures.Contains(culture))
            wire.Refusals.Add(Refusal.Invalid("lang", $"'{Wire.Shown(lang)}' is not one of: es, en."));
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        var indicators = await reader.ReadAsync(session, range.From, range.To, ct);
        return Results.Text(charts.Svg(chart, indicators, culture), "image/svg+xml; charset=utf-8");
    }

    /// <summary>
    /// The period: <c>to</c> defaults to today and cannot be after it (figures are about what has happened);
    /// <c>from</c> defaults to the first day of the eleventh month before <c>to</c>'s, so twelve months; at most
    /// <see cref="ProgrammeTally.MaxMonths"/> months.
    /// </summary>
    public static (LocalDate From, LocalDate To) Range(string? from, string? to, LocalDate today, Wire wire)
    {
        var last = string.IsNullOrWhiteSpace(to) ? today : wire.Date("to", to);
        var first = string.IsNullOrWhiteSpace(from)
            ? Periods.PeriodOf(last).PlusMonths(-11).FirstDay()
            : wire.Date("from", from);
        if (wire.Refusals.Count > 0)
            return (first, last);
        if (last > today)
            wire.Refusals.Add(
                Refusal.Invalid("to", $"to ({Dates.Format(last)}) is after today ({Dates.Format(today)}).")
            );
        else if (first > last)
            wire.Refusals.Add(
                Refusal.Invalid("from", $"from ({Dates.Format(first)}) is after to ({Dates.Format(last)}).")
            );
        else if (Periods.PeriodOf(first).MonthsUntil(Periods.PeriodOf(last)) >= ProgrammeTally.MaxMonths)
            wire.Refusals.Add(
                Refusal.Invalid("from", $"At most {ProgrammeTally.MaxMonths} months can be read at once.")
            );
        return (first, last);
    }

    private static bool Refuse(Wire wire, string field, string reason)
    {
        wire.Refusals.Add(Refusal.Invalid(field, reason));
        return false;
    }
}
