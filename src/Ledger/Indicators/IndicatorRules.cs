namespace Salex.Ledger.Indicators;

/// <summary>
/// What the programme is measured against: the design target of new enrolments a year and the monthly cost of one
/// covered person (the ISSS's 2015 costing: US$513.47 a year, US$42.79 a month).
/// </summary>
public sealed record IndicatorRules(int EnrolmentTargetPerYear, decimal MonthlyCostPerCoveredPerson)
{
    public static readonly IndicatorRules Default = new(5_000, 42.79m);

    /// <summary>The target of one month: a twelfth of the year's, to the cent (5,000 → 416.67).</summary>
    public decimal MonthlyEnrolmentTarget => Money.Round(EnrolmentTargetPerYear / 12m);
}
