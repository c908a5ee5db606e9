using Salex.Ledger.Calendar;
using Salex.Ledger.Indicators;
using Salex.Ledger.Reserve;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>
/// The programme's indicators over a period (<c>GET /api/indicators</c>): totals, one row per month, the breakdowns
/// at the period's end, the arrears ageing, the retention of each enrolment month's cohort and the emergency
/// reserve of the years the period touches. Every definition is in docs/indicators.md.
/// </summary>
public sealed record ProgrammeIndicators(
    string From,
    string To,
    int EnrolmentTargetPerYear,
    decimal MonthlyCostPerCoveredPerson,
    PeriodTotals Totals,
    IReadOnlyList<MonthIndicators> Months,
    IReadOnlyList<BreakdownRow> BySex,
    IReadOnlyList<BreakdownRow> ByAgeBand,
    IReadOnlyList<BreakdownRow> ByCountry,
    IReadOnlyList<DependantsRow> Dependants,
    IReadOnlyList<AgeingRow> ArrearsAgeing,
    IReadOnlyList<CohortView> Retention,
    IReadOnlyList<ReserveYearAccrual> Reserve,
    decimal ReserveTotal
)
{
    /// <summary>The figures and the reserve's years that the period touches; the total is the reserve's running
    /// total at the end of the period's last year (years accrue whole).</summary>
    public static ProgrammeIndicators Of(ProgrammeFigures f, IReadOnlyList<ReserveYearAccrual> reserve)
    {
        var years = reserve.Where(y => y.Year >= f.From.Year && y.Year <= f.To.Year).ToList();
        return new ProgrammeIndicators(
            Dates.Format(f.From),
            Dates.Format(f.To),
            f.Rules.EnrolmentTargetPerYear,
            f.Rules.MonthlyCostPerCoveredPerson,
            f.Totals,
            f.Months.Select(MonthIndicators.Of).ToList(),
            f.BySex,
            f.ByAgeBand,
            f.ByCountry,
            f.Dependants,
            f.ArrearsAgeing,
            f.Retention.Select(CohortView.Of).ToList(),
            years,
            reserve.LastOrDefault(y => y.Year <= f.To.Year)?.RunningTotal ?? 0m
        );
    }
}
