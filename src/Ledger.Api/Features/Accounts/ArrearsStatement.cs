using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>What the insured owes on a date: each overdue period with its surcharge, and the total.</summary>
public sealed record ArrearsStatement(
    string AffiliationNumber,
    string On,
    IReadOnlyList<OverduePeriodView> Periods,
    decimal Total
)
{
    public static ArrearsStatement Of(Account account, Standing standing, LocalDate on) =>
        new(
            account.Id,
            Dates.Format(on),
            standing.Overdue.Select(OverduePeriodView.Of).ToList(),
            standing.ArrearsTotal
        );
}
