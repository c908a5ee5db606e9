using NodaTime;
using Salex.Ledger;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Projections.Payments;

/// <summary>
/// What a recorded payment did to the account: the periods it paid, the credit it used and left, the refund due.
/// The payments API answers it, and the receipt keeps it, so the same payment sent again gets the same answer.
/// </summary>
public sealed record PaymentResponse(
    string AffiliationNumber,
    string BankCode,
    string Reference,
    string PaidOn,
    decimal Amount,
    IReadOnlyList<AllocationLine> Allocations,
    decimal CreditApplied,
    decimal Credit,
    decimal CreditBalance,
    decimal RefundDue,
    string? PaidThrough
)
{
    /// <summary>
    /// The answer for money paid to <paramref name="before"/> (null: no account took it): what the allocation paid,
    /// the part of its remainder kept as credit (<paramref name="kept"/>) and what is owed back.
    /// </summary>
    public static PaymentResponse Of(
        string affiliationNumber,
        PaymentSource source,
        decimal amount,
        PaymentAllocation? allocation,
        decimal kept,
        decimal refundDue,
        Account? before,
        Regime regime
    )
    {
        var creditApplied = allocation?.CreditApplied ?? 0m;
        var paidThrough = allocation?.Periods.Select(p => (YearMonth?)p.Period).LastOrDefault() ?? before?.PaidThrough;
        return new PaymentResponse(
            affiliationNumber,
            source.BankCode,
            source.Reference,
            Dates.Format(source.PaidOn),
            amount,
            AllocationLine.Of(allocation, regime),
            creditApplied,
            kept,
            (before?.Credit ?? 0m) - creditApplied + kept,
            refundDue,
            paidThrough is { } p ? Periods.Format(p) : null
        );
    }
}
