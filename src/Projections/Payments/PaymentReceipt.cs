using System.Globalization;
using Marten.Schema;
using Salex.Ledger;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Projections.Payments;

/// <summary>
/// One per <c>(bankCode, reference)</c> ever recorded, written in the same transaction as the payment's
/// events: the same payment sent again finds it and gets the first answer; a different payment under
/// the same reference is a conflict. It also says where the money went, so the reconciliation per bank
/// per day counts every transaction exactly once, whichever way it reached the ledger (the payments API,
/// a bank file's line, a suspense item given to an account). Its key, fingerprint and answer are made here only.
/// </summary>
public sealed record PaymentReceipt(string Id, string AffiliationNumber, string Fingerprint, PaymentResponse Response)
{
    public const string ApiOrigin = "payments API";

    /// <summary>The bank that collected the money.</summary>
    [DuplicateField]
    public string Bank { get; init; } = "";

    /// <summary>El Salvador's date of the payment ("yyyy-MM-dd"): the bank's day.</summary>
    [DuplicateField]
    public string Day { get; init; } = "";

    public MoneyTrail Trail { get; init; } = MoneyTrail.None;

    /// <summary>How it reached the ledger: "payments API", or the bank file and its line.</summary>
    public string Origin { get; init; } = "";

    public static string KeyOf(string bankCode, string reference) =>
        $"{bankCode.Trim().ToUpperInvariant()}/{reference.Trim()}";

    public static string FileOrigin(string fileId, int line) => $"{fileId} line {line}";

    /// <summary>
    /// What makes two sendings of a payment the same payment: the account, the date, the money, the bank, the
    /// reference and the channel. A bank-file line that was applied has the very same fingerprint, so the payment
    /// sent again through the API answers 200 with the line's result.
    /// </summary>
    public static string FingerprintOf(string affiliationNumber, RecordPayment payment) =>
        string.Join(
            '|',
            affiliationNumber,
            Dates.Format(payment.PaidOn),
            payment.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            payment.BankCode,
            payment.Reference,
            payment.Channel
        );

    /// <summary>The receipt of a payment the payments API accepted, recorded on <paramref name="before"/>.</summary>
    public static PaymentReceipt ForPayment(
        string affiliationNumber,
        RecordPayment payment,
        PaymentAllocation allocation,
        Account before,
        Regime regime
    ) =>
        new(
            KeyOf(payment.BankCode, payment.Reference),
            affiliationNumber,
            FingerprintOf(affiliationNumber, payment),
            PaymentResponse.Of(
                affiliationNumber,
                payment.Source,
                payment.Amount,
                allocation,
                allocation.Remainder,
                0m,
                before,
                regime
            )
        )
        {
            Bank = payment.BankCode,
            Day = Dates.Format(payment.PaidOn),
            Trail = MoneyTrail.Of(allocation),
            Origin = ApiOrigin,
        };

    /// <summary>
    /// The receipt of a bank file's line (or of the suspense item it became, given to an account later). Money held
    /// or owed back gets a fingerprint of its own, so the same payment sent to the API answers 409.
    /// </summary>
    public static PaymentReceipt ForFileLine(
        string fileId,
        BankFileLine line,
        LineDecision decision,
        Account? before,
        Regime regime
    )
    {
        var payment = new RecordPayment(line.PaidOn, line.Amount, line.BankCode, line.TransactionId, line.Channel);
        var applied =
            decision.Allocation is not null && decision.Outcome is LineOutcome.Applied or LineOutcome.AppliedWithCredit;
        var fingerprint = applied
            ? FingerprintOf(line.AffiliationNumber, payment)
            : $"bank-file|{decision.Outcome}|{line.AffiliationNumber}";
        var allocation = decision.Allocation;
        var kept = decision.Outcome == LineOutcome.PartlyBeyondAdvanceLimit ? 0m : allocation?.Remainder ?? 0m;
        var response = PaymentResponse.Of(
            line.AffiliationNumber,
            payment.Source,
            line.Amount,
            allocation,
            kept,
            decision.Recorded.Refund,
            before,
            regime
        );
        return new PaymentReceipt(
            KeyOf(line.BankCode, line.TransactionId),
            line.AffiliationNumber,
            fingerprint,
            response
        )
        {
            Bank = line.BankCode,
            Day = Dates.Format(line.PaidOn),
            Trail = MoneyTrail.Of(decision.Recorded),
            Origin = FileOrigin(fileId, line.Number),
        };
    }
}
