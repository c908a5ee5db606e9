using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// One payment line of a bank file (SPEC §5), parsed. <see cref="PaidOn"/> is El Salvador's date of <see
/// cref="PaidAt"/>.
/// <see cref="DebtorName"/>, <see cref="DebtorAccount"/> and <see cref="Remittance"/> are what the bank said of the
/// payer
/// (kept on a suspense item for finance). <see cref="Hold"/> is set when the reader already knows that the money must
/// go to suspense whoever the payer is (no bank identified, no booking date, more than one payment can be), with
/// <see cref="HoldReason"/>.
/// </summary>
public sealed record BankFileLine(
    int Number,
    string BankCode,
    string TransactionId,
    Instant PaidAt,
    string AffiliationNumber,
    decimal Amount,
    Channel Channel,
    string? DebtorName = null,
    string? DebtorAccount = null,
    string? Remittance = null,
    LineOutcome? Hold = null,
    string? HoldReason = null
)
{
    public LocalDate PaidOn => ElSalvador.DateOf(PaidAt);

    public PaymentSource Source => new(PaidOn, BankCode, TransactionId, Channel.ToString().ToUpperInvariant());

    /// <summary>What must agree for a second line under the same key to be the same transaction (else a
    /// conflict).</summary>
    public TransactionFacts Facts => new(Amount, Dates.Format(PaidOn));

    /// <summary>A line whose amount is more than one payment can be is held for finance: readable money is never
    /// dropped.</summary>
    public BankFileLine HeldIfTooLarge() =>
        Amount > Limits.Amount && Hold is null
            ? this with
            {
                Hold = LineOutcome.HeldForReview,
                HoldReason =
                    $"The amount {Amount.ToString("0.00", CultureInfo.InvariantCulture)} is more than one "
                    + $"payment can be "
                    + $"({Limits.Amount.ToString("0.00", CultureInfo.InvariantCulture)}); held in suspense for finance.",
            }
            : this;
}

/// <summary>A line that cannot be read as a payment: its number, why, and its text for finance to look at.</summary>
public sealed record MalformedLine(int Number, string Reason, string Text);

/// <summary>Reads the lines of a bank file. Pure: the caller says what "now" is, so a future date is refused.</summary>
public static class BankFileLines
{
    public const string Header = "bankCode,transactionId,paidAt,affiliationNumber,amount,channel";
    private const int Columns = 6;
    private const int MaxKeptText = 300;

    // Per column: what the ledger keeps of each field (the affiliation number of an unknown payer is kept as
    // given, for finance); a longer field, or one with a control character, makes the line malformed.
    private static readonly int[] MaxLengths = [Limits.Code, Limits.Reference, 40, Limits.Remittance, 40, 10];

    // Banks send the offset of the place the money was taken ("-06:00") or UTC ("Z"); both name an instant.
    private static readonly OffsetDateTimePattern PaidAtPattern = OffsetDateTimePattern.ExtendedIso;

    /// <summary>The header line, its fields quoted or not (RFC 4180), in any case, with or without a byte-order
    /// mark.</summary>
    public static bool IsHeader(string text) =>
        CsvRecord.Split(text.TrimStart('\uFEFF'), out _) is { } fields
        && string.Equals(string.Join(',', fields.Select(f => f.Trim())), Header, StringComparison.OrdinalIgnoreCase);

    /// <summary>Either the payment, or why the line is malformed. Blank lines are not payments and are the caller's to
    /// skip.</summary>
    public static (BankFileLine? Line, MalformedLine? Malformed) Parse(int number, string text, Instant now)
    {
        MalformedLine Bad(string reason) =>
            new(number, Limits.Printable(reason, Limits.Reason), Limits.Printable(text, MaxKeptText));

        // RFC 4180: a field in double quotes may hold commas and doubled quotes; an unquoted comma separates fields,
        // so 58,72 unquoted gives seven columns.
        var fields = CsvRecord.Split(text, out var quoting);
        if (fields is null)
            return (null, Bad(quoting!));
        if (fields.Count != Columns)
            return (null, Bad($"Expected {Columns} comma-separated fields, found {fields.Count}."));
        var (bankCode, transactionId, paidAtText, affiliationNumber, amountText, channelText) = (
            fields[0].Trim(),
            fields[1].Trim(),
            fields[2].Trim(),
            fields[3].Trim(),
            fields[4].Trim(),
            fields[5].Trim()
        );

        string[] names = ["bankCode", "transactionId", "paidAt", "affiliationNumber", "amount", "channel"];
        for (var i = 0; i < Columns; i++)
        {
            var field = fields[i].Trim();
            if (field.Length == 0)
                return (null, Bad($"The field {names[i]} is missing."));
            if (Limits.TextProblem(field, MaxLengths[i]) is { } problem)
                return (null, Bad($"The field {names[i]}: {problem}"));
        }

        var paidAt = PaidAtPattern.Parse(paidAtText);
        if (!paidAt.Success)
            return (
                null,
                Bad($"paidAt '{paidAtText}' is not a date and time with an offset (e.g. 2024-03-05T10:15:00-06:00).")
            );
        var instant = paidAt.Value.ToInstant();
        if (instant > now)
            return (null, Bad($"paidAt '{paidAtText}' is in the future."));
        if (!Limits.IsInRange(instant))
            return (null, Bad($"paidAt '{paidAtText}' is not {Limits.DateRange}."));

        if (!TryParseAmount(amountText, out var amount, out var amountReason))
            return (null, Bad(amountReason));

        Channel channel;
        if (string.Equals(channelText, "BRANCH", StringComparison.OrdinalIgnoreCase))
            channel = Channel.Branch;
        else if (string.Equals(channelText, "ONLINE", StringComparison.OrdinalIgnoreCase))
            channel = Channel.Online;
        else
            return (null, Bad($"channel '{channelText}' is not BRANCH or ONLINE."));

        // The bank code is compared upper-case, as the payments API and PaymentReceipt.KeyOf do.
        return (
            new BankFileLine(
                number,
                bankCode.ToUpperInvariant(),
                transactionId,
                instant,
                affiliationNumber,
                amount,
                channel
            ).HeldIfTooLarge(),
            null
        );
    }

    /// <summary>
    /// Dollars with a dot and at most two decimals (trailing zeros aside: camt.053 allows "8.850"), positive, at most
    /// <see cref="Limits.BankCredit"/>. Written strictly on purpose: "58,72" or "58.725" is a bank's mistake to be
    /// looked at, not a number to be guessed. An amount above <see cref="Limits.Amount"/> is read (the caller holds
    /// it).
    /// </summary>
    public static bool TryParseAmount(string text, out decimal amount, out string reason)
    {
        amount = 0m;
        reason = "";
        var dot = text.IndexOf('.');
        var digitsOnly =
            text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c == '.') && text.Count(c => c == '.') <= 1;
        if (!digitsOnly || dot == 0 || dot == text.Length - 1 || text.Length > 20)
        {
            reason = $"amount '{text}' is not a number of dollars written with a dot (e.g. 58.72).";
            return false;
        }
        if (dot > 0 && text.Length - dot - 1 > 2 && text[(dot + 3)..].Any(c => c != '0'))
        {
            reason = $"amount '{text}' has more than two decimals.";
            return false;
        }
        amount = decimal.Round(decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), 2);
        if (amount <= 0m)
        {
            reason = $"amount '{text}' is not positive.";
            return false;
        }
        if (amount > Limits.BankCredit)
        {
            reason = $"amount '{text}' is more than {Limits.BankCredit:0.00}, the most one bank-file line can carry.";
            return false;
        }
        return true;
    }
}
