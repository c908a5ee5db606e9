using Salex.Ledger;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Projections.Payments;

/// <summary>One period a payment paid: its base, due date, lateness and surcharge.</summary>
public sealed record AllocationLine(
    string Period,
    string Kind,
    decimal Base,
    string DueDate,
    int DaysLate,
    decimal SurchargeRate,
    decimal Surcharge,
    decimal Total
)
{
    public static IReadOnlyList<AllocationLine> Of(PaymentAllocation? allocation, Regime regime) =>
        allocation is null
            ? []
            :
            [
                .. allocation.Contributions.Select(p => Of(p, "Contribution", regime)),
                .. allocation.Advances.Select(p => Of(p, "Advance", regime)),
            ];

    private static AllocationLine Of(PeriodPayment p, string kind, Regime regime) =>
        new(
            Periods.Format(p.Period),
            kind,
            p.Base,
            Dates.Format(regime.Calendar.DueDate(p.Period)),
            p.DaysLate,
            p.SurchargeRate,
            p.Surcharge,
            p.Total
        );
}
