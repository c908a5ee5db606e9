using System.Globalization;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// What two records under one bank transaction key must share to be the same transaction: the amount and El
/// Salvador's date of payment ("yyyy-MM-dd"). The same key with other facts is a conflict, held in suspense, never a
/// silent duplicate. The payer is not compared: a bank that corrects the affiliation number of a payment held in
/// suspense (and assigned by finance) sends the same money again, not new money.
/// </summary>
public sealed record TransactionFacts(decimal Amount, string PaidOn)
{
    public bool SameAs(TransactionFacts other) => Amount == other.Amount && PaidOn == other.PaidOn;

    public override string ToString() => $"{Amount.ToString("0.00", CultureInfo.InvariantCulture)} paid on {PaidOn}";
}
