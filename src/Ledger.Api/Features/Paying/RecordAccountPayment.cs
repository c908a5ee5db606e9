using Salex.Ledger.Contributions;
using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// A payment of a well-shaped <see cref="Payment"/> (checked by the endpoint) to the account
/// <see cref="AffiliationNumber"/>, recorded by the group commit (<see cref="PaymentWriter"/>).
/// </summary>
public sealed record RecordAccountPayment(string AffiliationNumber, RecordPayment Payment)
{
    /// <summary>The receipt that says whether this bank transaction is already in the ledger.</summary>
    public string ReceiptKey => PaymentReceipt.KeyOf(Payment.BankCode, Payment.Reference);
}
