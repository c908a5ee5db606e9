using NodaTime;

namespace Salex.Ledger.BankFiles;

// The events of a bank file's own stream (keyed by the file id), so finance can replay what happened to
// every line of every file. The money itself is recorded on the insured persons' streams.

/// <summary>
/// The exactly-one outcome of a line (SPEC §5). Money in suspense: <see cref="UnknownPayer"/>; <see cref="Conflict"/>
/// (a transaction key already in the ledger with other facts); <see cref="UnknownBank"/> (a statement whose bank the
/// registry cannot identify); <see cref="HeldForReview"/> (readable money the reader cannot apply as it stands: no
/// booking date, more than one payment can be, a batch whose transactions do not add up to it).
/// </summary>
public enum LineOutcome
{
    Applied,
    AppliedWithCredit,
    Duplicate,
    UnknownPayer,
    Refused,
    PartlyBeyondAdvanceLimit,
    Malformed,
    Conflict,
    UnknownBank,
    HeldForReview,
}

/// <summary>A file was received: its id is derived from its content, so the same bytes are the same file.</summary>
public sealed record BankFileReceived(string FileId, string Sha256, long Bytes, string Format = "Csv");

/// <summary>
/// What one line became. <see cref="Credit"/> is the change of the account's credit: money kept minus credit
/// already on the account that this payment spent, so that for every line
/// <c>Amount = Contributions + Surcharges + Credit + Suspense + Refund</c> (duplicates and malformed lines bring no
/// money).
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
    string? Reason,
    int? Sequence = null
);

/// <summary>
/// Every line of the file has an outcome. <see cref="Statements"/>: each camt.053 statement's own totals against what
/// was read from it (none for CSV).
/// </summary>
public sealed record BankFileCompleted(
    int Lines,
    decimal Received,
    bool Balanced,
    IReadOnlyList<StatementCheck>? Statements = null
);

/// <summary>Money of an unknown payer, held in suspense, was given to an account and applied as a payment on its
/// original date.</summary>
public sealed record SuspenseAssigned(string SuspenseId, string AffiliationNumber, decimal Amount);

/// <summary>Money of an unknown payer, held in suspense, was paid back through the bank: a refund, not a
/// contribution.</summary>
public sealed record SuspenseRefunded(string SuspenseId, decimal Amount, string Reason);
