using NodaTime;

namespace Salex.Ledger.Indicators;

/// <summary>The programme's indicators over a period, computed by <see cref="ProgrammeTally.Of"/>.</summary>
public sealed record ProgrammeFigures(
    LocalDate From,
    LocalDate To,
    IndicatorRules Rules,
    PeriodTotals Totals,
    IReadOnlyList<MonthFigures> Months,
    IReadOnlyList<BreakdownRow> BySex,
    IReadOnlyList<BreakdownRow> ByAgeBand,
    IReadOnlyList<BreakdownRow> ByCountry,
    IReadOnlyList<DependantsRow> Dependants,
    IReadOnlyList<AgeingRow> ArrearsAgeing,
    IReadOnlyList<CohortRetention> Retention
);
