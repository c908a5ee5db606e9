namespace Salex.Ledger.Reserve;

/// <summary>What a calendar year brought in: base contributions received (cash basis) and distinct persons who
/// paid.</summary>
public sealed record ReserveYearInput(int Year, decimal BaseContributions, int Insured);

/// <summary>One year of the reserve, with the limits that applied.</summary>
public sealed record ReserveYearAccrual(
    int Year,
    decimal BaseContributions,
    int Insured,
    decimal FivePercent,
    decimal AnnualLimit,
    decimal TotalLimit,
    decimal Accrued,
    bool AnnualLimitApplied,
    bool TotalLimitApplied,
    decimal RunningTotal
);

/// <summary>
/// The emergency reserve (reserva de emergencia): 5 % of the base contributions received in a year (surcharges
/// excluded), at most US$100 per thousand insured that year (proportional), and never past US$200,000 in all.
/// </summary>
public static class EmergencyReserve
{
    public const decimal Rate = 0.05m;
    public const decimal AnnualLimitPerThousandInsured = 100m;
    public const decimal TotalLimit = 200_000m;

    public static IReadOnlyList<ReserveYearAccrual> Accrue(IEnumerable<ReserveYearInput> years)
    {
        var result = new List<ReserveYearAccrual>();
        var running = 0m;
        foreach (var y in years.OrderBy(y => y.Year))
        {
            var fivePercent = Money.Round(y.BaseContributions * Rate);
            var annualLimit = Money.Round(AnnualLimitPerThousandInsured * y.Insured / 1000m);
            var capped = Math.Min(fivePercent, annualLimit);
            var accrued = Math.Min(capped, TotalLimit - running);
            running += accrued;
            result.Add(
                new ReserveYearAccrual(
                    y.Year,
                    y.BaseContributions,
                    y.Insured,
                    fivePercent,
                    annualLimit,
                    TotalLimit,
                    accrued,
                    fivePercent > annualLimit,
                    accrued < capped,
                    running
                )
            );
        }
        return result;
    }
}
