using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>What giving suspense money to an account did: the line's outcome and the payment's answer.</summary>
public sealed record SuspenseAssignment(
    string SuspenseId,
    string AffiliationNumber,
    string Outcome,
    decimal Amount,
    decimal Contributions,
    decimal Surcharges,
    decimal Credit,
    decimal Refund,
    string? Reason,
    PaymentResponse Payment
);
