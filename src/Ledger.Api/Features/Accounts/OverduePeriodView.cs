using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>A period due and unpaid on a date, with its surcharge.</summary>
public sealed record OverduePeriodView(
    string Period,
    string DueDate,
    decimal Base,
    int DaysLate,
    decimal SurchargeRate,
    decimal Surcharge,
    decimal Total
)
{
    public static OverduePeriodView Of(OverduePeriod o) =>
        new(
            Periods.Format(o.Period),
            Dates.Format(o.DueDate),
            o.Base,
            o.DaysLate,
            o.SurchargeRate,
            o.Surcharge,
            o.Total
        );
}
