using Salex.Ledger.Indicators;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>
/// The programme's charts as SVG text (<see cref="SvgChart"/>), labelled in Spanish (<c>es</c>, the default: the
/// users are in San Salvador) or English (<c>en</c>): <c>enrolments</c> (new enrolments per month against the
/// target, and contributors), <c>arrears-ageing</c>, <c>retention</c> and <c>reserve</c>.
/// </summary>
public sealed class IndicatorCharts
{
    public static readonly IReadOnlyList<string> Names = ["enrolments", "arrears-ageing", "retention", "reserve"];
    public static readonly IReadOnlyList<string> Cultures = ["es", "en"];

    /// <summary>The chart's SVG; <paramref name="culture"/> <c>en</c> (or <c>en-…</c>) for English, anything else
    /// Spanish. An unknown chart is an <see cref="ArgumentOutOfRangeException"/>: callers check <see
    /// cref="Names"/>.</summary>
    public string Svg(string chart, ProgrammeIndicators indicators, string culture)
    {
        var en = culture.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        string T(string es, string english) => en ? english : es;
        var period = $"{indicators.From} – {indicators.To}";
        var noData = T("Sin datos en el periodo", "No data in the period");
        var p = SvgChart.Palette;
        return chart switch
        {
            "enrolments" => new SvgChart(
                T($"Afiliaciones y cotizantes por mes, {period}", $"Enrolments and contributors per month, {period}"),
                T("personas", "persons"),
                indicators.Months.Select(m => m.Month).ToList()
            )
            {
                NoData = noData,
            }
                .Bars(
                    T("Nuevas afiliaciones", "New enrolments"),
                    indicators.Months.Select(m => (decimal)m.NewEnrolments),
                    p[0]
                )
                .Line(
                    T("Cotizantes (pagaron en el mes)", "Contributors (paid in the month)"),
                    indicators.Months.Select(m => (decimal?)m.Contributing),
                    p[2]
                )
                .Line(T("Afiliados", "Enrolled"), indicators.Months.Select(m => (decimal?)m.Enrolled), p[4])
                .Line(
                    T(
                        $"Meta: {indicators.EnrolmentTargetPerYear:#,0} al año",
                        $"Target: {indicators.EnrolmentTargetPerYear:#,0} a year"
                    ),
                    indicators.Months.Select(m => (decimal?)m.EnrolmentTarget),
                    p[3],
                    dashed: true
                )
                .Render(),
            "arrears-ageing" => new SvgChart(
                T($"Antigüedad de la mora al {indicators.To}", $"Arrears ageing on {indicators.To}"),
                T("personas", "persons"),
                indicators.ArrearsAgeing.Select(a => AgeingLabel(a.Band, en)).ToList()
            )
            {
                NoData = noData,
                WholeSteps = true,
            }
                .Bars(T("Personas", "Persons"), indicators.ArrearsAgeing.Select(a => (decimal)a.Persons), p[3])
                .Render(),
            "retention" => Retention(indicators, en, T, period, noData),
            "reserve" => new SvgChart(
                T("Reserva de emergencia (US$)", "Emergency reserve (US$)"),
                "US$",
                indicators.Reserve.Select(y => y.Year.ToString()).ToList()
            )
            {
                NoData = noData,
            }
                .Bars(T("Acumulado en el año", "Accrued in the year"), indicators.Reserve.Select(y => y.Accrued), p[0])
                .Line(
                    T("Total de la reserva", "Reserve's running total"),
                    indicators.Reserve.Select(y => (decimal?)y.RunningTotal),
                    p[1]
                )
                .Render(),
            _ => throw new ArgumentOutOfRangeException(nameof(chart), chart, "Not one of the charts."),
        };
    }

    /// <summary>One line per horizon over the enrolment months: the share of each cohort still covered.</summary>
    private static string Retention(
        ProgrammeIndicators indicators,
        bool en,
        Func<string, string, string> T,
        string period,
        string noData
    )
    {
        var chart = new SvgChart(
            T($"Retención por mes de afiliación, {period}", $"Retention by enrolment month, {period}"),
            T("% de la cohorte con derechos", "% of the cohort covered"),
            indicators.Retention.Select(c => c.Cohort).ToList()
        )
        {
            NoData = noData,
            Suffix = " %",
        };
        for (var k = 0; k < IndicatorBands.RetentionMonths.Count; k++)
        {
            var months = IndicatorBands.RetentionMonths[k];
            var index = k;
            chart.Line(
                T($"a los {months} meses", $"after {months} months"),
                indicators.Retention.Select(c =>
                    c.After[index].Share is { } s ? (decimal?)Math.Round(s * 100, 1) : null
                ),
                SvgChart.Palette[k]
            );
        }
        return chart.Render();
    }

    public static string AgeingLabel(string band, bool en) =>
        band switch
        {
            IndicatorBands.Lapsed => en ? "lapsed in the period" : "caducados en el periodo",
            "91+" => en ? "over 90 days" : "más de 90 días",
            _ => band.Replace("-", "–") + (en ? " days" : " días"),
        };
}
