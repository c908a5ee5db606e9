namespace Salex.Ledger.BankFiles;

/// <summary>
/// What two records of one bank transaction key must share to be the same transaction: the amount, El Salvador's
/// date of payment ("yyyy-MM-dd") and the payer as the bank named it (an affiliation number, or the remittance text of
/// an unknown payer). The same key with other facts is a conflict, held in suspense, never a silent duplicate.
/// </summary>
public sealed record TransactionFacts(decimal Amount, string PaidOn, string Payer)
{
    public bool SameAs(TransactionFacts other) =>
        Amount == other.Amount && PaidOn == other.PaidOn && string.Equals(Payer.Trim(), other.Payer.Trim(), StringComparison.Ordinal);

    public override string ToString() =>
        $"{Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} paid on {PaidOn} by '{Payer}'";
}
