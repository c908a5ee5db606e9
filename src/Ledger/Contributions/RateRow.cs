using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>One row of the schedule: from <see cref="FirstPeriod"/> on, the reference minimum wage.</summary>
public sealed record RateRow(YearMonth FirstPeriod, decimal MinimumWage)
{
    /// <summary>9.32 % of two minimum wages, rounded to the cent.</summary>
    public decimal MonthlyContribution => RateSchedule.ContributionOn(MinimumWage);
}
