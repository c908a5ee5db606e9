using NodaTime;

namespace Salex.Ledger.BankFiles;

// The events of a bank file's own stream (keyed by the file id), so finance can replay what happened to
// every line of every file. The money itself is recorded on the insured persons' streams.

/// <summary>The exactly-one outcome of a line (SPEC §5).</summary>
public enum LineOutcome { Applied, AppliedWithCredit, Duplicate, UnknownPayer, Refused, PartlyBeyondAdvanceLimit, Malformed }

/// <summary>A file was received: its id is derived from its content, so the same bytes are the same file.</summary>
public sealed record BankFileReceived(string FileId, string Sha256, long Bytes, string Format = "Csv");

/// <summary>
/// What one line became. <see cref="Credit"/> is the change of the account's credit: money kept minus credit
/// already on the account that this payment spent, so that for every line
/// <c>Amount = Contributions + Surcharges + Credit + Suspense + Refund</c> (duplicates and malformed lines bring no money).
/// </summary>
public sealed record BankFileLineRecorded(
    int Line,
    string? BankCode,
    string? TransactionId,
    string? AffiliationNumber,
    LocalDate? PaidOn,
    decimal Amount,
    LineOutcome Outcome,
    decimal Contributions,
    decimal Surcharges,
    decimal Credit,
    decimal Suspense,
    decimal Refund,
    string? Reason);

/// <summary>Every line of the file has an outcome.</summary>
public sealed record BankFileCompleted(int Lines, decimal Received, bool Balanced);

/// <summary>Money of an unknown payer, held in suspense, was given to an account and applied as a payment on its original date.</summary>
public sealed record SuspenseAssigned(string SuspenseId, string AffiliationNumber, decimal Amount);

/// <summary>Money of an unknown payer, held in suspense, was paid back through the bank: a refund, not a contribution.</summary>
public sealed record SuspenseRefunded(string SuspenseId, decimal Amount, string Reason);
