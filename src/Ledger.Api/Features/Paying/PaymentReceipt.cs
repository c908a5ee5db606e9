namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// One per <c>(bankCode, reference)</c> ever recorded, written in the same transaction as the payment's
/// events: the same payment sent again finds it and gets the first answer; a different payment under
/// the same reference is a conflict.
/// </summary>
public sealed record PaymentReceipt(string Id, string AffiliationNumber, string Fingerprint, PaymentResponse Response)
{
    public static string KeyOf(string bankCode, string reference) => $"{bankCode.Trim().ToUpperInvariant()}/{reference.Trim()}";
}
