using Salex.Ledger.Indicators;

namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// What the programme's indicators are measured against (section <c>Indicators</c>): the design target of new
/// enrolments a year (5,000) and the monthly cost of one covered person (US$42.79, the ISSS's 2015 costing).
/// </summary>
public sealed class IndicatorSettings : ICheckedSettings
{
    public const string Section = "Indicators";

    public int EnrolmentTargetPerYear { get; set; } = IndicatorRules.Default.EnrolmentTargetPerYear;
    public decimal MonthlyCostPerCoveredPerson { get; set; } = IndicatorRules.Default.MonthlyCostPerCoveredPerson;

    public IndicatorRules ToRules() => new(EnrolmentTargetPerYear, MonthlyCostPerCoveredPerson);

    public IEnumerable<string> Problems()
    {
        if (EnrolmentTargetPerYear is < 1 or > 10_000_000)
            yield return $"Indicators:EnrolmentTargetPerYear ({EnrolmentTargetPerYear}) must be from 1 to 10,000,000.";
        if (
            MonthlyCostPerCoveredPerson <= 0
            || MonthlyCostPerCoveredPerson > Limits.Amount
            || !Money.IsWholeCents(MonthlyCostPerCoveredPerson)
        )
            yield return $"Indicators:MonthlyCostPerCoveredPerson ({MonthlyCostPerCoveredPerson}) must be more than 0 "
                + $"and at most {Limits.Amount:0.00}, in whole cents.";
    }
}
