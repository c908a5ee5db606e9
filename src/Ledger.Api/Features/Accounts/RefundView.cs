using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>Money owed back to the insured: when, why, how much, for which periods and from which payment.</summary>
public sealed record RefundView(
    string RecordedOn,
    string Reason,
    decimal Amount,
    IReadOnlyList<string> Periods,
    string? Reference
)
{
    public static RefundView Of(RefundDue r) =>
        new(
            Dates.Format(r.RecordedOn),
            r.Reason,
            r.Amount,
            r.Periods.Select(x => Calendar.Periods.Format(x.Period)).ToList(),
            r.Source?.Reference
        );
}
