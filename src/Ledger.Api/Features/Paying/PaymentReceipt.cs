using Marten.Schema;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// One per <c>(bankCode, reference)</c> ever recorded, written in the same transaction as the payment's
/// events: the same payment sent again finds it and gets the first answer; a different payment under
/// the same reference is a conflict. It also says where the money went, so the reconciliation per bank
/// per day counts every transaction exactly once, whichever way it reached the ledger.
/// </summary>
public sealed record PaymentReceipt(string Id, string AffiliationNumber, string Fingerprint, PaymentResponse Response)
{
    /// <summary>The bank that collected the money.</summary>
    [DuplicateField]
    public string Bank { get; init; } = "";

    /// <summary>El Salvador's date of the payment ("yyyy-MM-dd"): the bank's day.</summary>
    [DuplicateField]
    public string Day { get; init; } = "";

    public MoneyTrail Trail { get; init; } = MoneyTrail.None;

    /// <summary>How it reached the ledger: "payments API", or the bank file and its line.</summary>
    public string Origin { get; init; } = "";

    public static string KeyOf(string bankCode, string reference) => $"{bankCode.Trim().ToUpperInvariant()}/{reference.Trim()}";

    public static string FileOrigin(string fileId, int line) => $"{fileId} line {line}";

    public const string ApiOrigin = "payments API";
}
