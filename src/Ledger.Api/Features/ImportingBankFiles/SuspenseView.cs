using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>Money held in suspense as finance reads it: where it came from, why it is held, what became of
/// it.</summary>
public sealed record SuspenseView(
    string Id,
    string FileId,
    int Line,
    string BankCode,
    string TransactionId,
    string AffiliationNumber,
    string PaidOn,
    decimal Amount,
    string Channel,
    string Status,
    string? AssignedTo,
    string? RefundReason,
    string? Reason = null,
    string? DebtorName = null,
    string? DebtorAccount = null,
    string? Remittance = null
)
{
    public static SuspenseView Of(SuspenseItem s) =>
        new(
            s.Id,
            s.FileId,
            s.Line,
            s.BankCode,
            s.TransactionId,
            s.AffiliationNumber,
            Dates.Format(s.PaidOn),
            s.Amount,
            s.Channel,
            s.Status.ToString(),
            s.AssignedTo,
            s.RefundReason,
            s.Reason,
            s.DebtorName,
            s.DebtorAccount,
            s.Remittance
        );
}
