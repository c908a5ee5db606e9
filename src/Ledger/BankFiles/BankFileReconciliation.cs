namespace Salex.Ledger.BankFiles;

public enum BankFileStatus
{
    Importing,
    Completed,
}

/// <summary>
/// A bank file's reconciliation: counts per outcome and where the money went. Folded from the file's
/// stream; the lines themselves are kept one document each, so a big file is never one huge document.
/// <see cref="Received"/> counts the money of the lines this file brought into the ledger: a duplicate's
/// money is already counted where it was first recorded, and a malformed line has no readable amount.
/// </summary>
public sealed record BankFileReconciliation
{
    public string Id { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Bytes { get; init; }

    /// <summary>The version of the file's stream, for the optimistic check of the next batch.</summary>
    public long Version { get; init; }

    /// <summary>
    /// Lines are recorded in order, a batch at a time: every line up to this one (in the order they are applied,
    /// <see cref="BankFileLineRecorded.Sequence"/>) has its outcome.
    /// </summary>
    public int LastLine { get; init; }
    public BankFileStatus Status { get; init; }
    public int Lines { get; init; }
    public Dictionary<LineOutcome, int> Outcomes { get; init; } =
        Enum.GetValues<LineOutcome>().ToDictionary(o => o, _ => 0);
    public decimal Received { get; init; }
    public decimal Contributions { get; init; }
    public decimal Surcharges { get; init; }
    public decimal Credits { get; init; }
    public decimal Suspense { get; init; }
    public decimal RefundsDue { get; init; }
    public decimal DuplicateAmount { get; init; }

    /// <summary>Suspense money later given to an account. The import's figures above stay as they were on the
    /// day.</summary>
    public decimal SuspenseAssigned { get; init; }

    /// <summary>Suspense money later paid back to the payer.</summary>
    public decimal SuspenseRefunded { get; init; }

    public bool Balanced => Received == Contributions + Surcharges + Credits + Suspense + RefundsDue;

    /// <summary>How many malformed lines are listed in <see cref="Unread"/>; all of them are in the file's line
    /// report.</summary>
    public const int UnreadKept = 100;

    /// <summary>The first malformed lines, with their reason and raw text: money the file may hold that is not in <see
    /// cref="Received"/>.</summary>
    public IReadOnlyList<UnreadLine> Unread { get; init; } = [];

    /// <summary>Each camt.053 statement's own totals against what was read (empty for CSV), set when the file
    /// completes.</summary>
    public IReadOnlyList<StatementCheck> Statements { get; init; } = [];

    public bool StatementsAgree => Statements.All(s => s.Agrees);

    /// <summary>
    /// Every line's money was read and every statement agrees with its own totals. <see cref="Balanced"/> says only
    /// that
    /// the money read adds up; a file with malformed lines or a statement difference is balanced but not all read.
    /// </summary>
    public bool AllRead => Outcomes.GetValueOrDefault(LineOutcome.Malformed) == 0 && StatementsAgree;

    public static BankFileReconciliation Start(BankFileReceived e) =>
        new()
        {
            Id = e.FileId,
            Sha256 = e.Sha256,
            Bytes = e.Bytes,
            Version = 1,
        };

    public BankFileReconciliation After(BankFileLineRecorded e)
    {
        var brings = e.Outcome is not (LineOutcome.Duplicate or LineOutcome.Malformed);
        return this with
        {
            Version = Version + 1,
            LastLine = Math.Max(LastLine, e.Sequence ?? e.Line),
            Lines = Lines + 1,
            Outcomes = new Dictionary<LineOutcome, int>(Outcomes)
            {
                [e.Outcome] = Outcomes.GetValueOrDefault(e.Outcome) + 1,
            },
            Received = Received + (brings ? e.Amount : 0m),
            Contributions = Contributions + e.Contributions,
            Surcharges = Surcharges + e.Surcharges,
            Credits = Credits + e.Credit,
            Suspense = Suspense + e.Suspense,
            RefundsDue = RefundsDue + e.Refund,
            DuplicateAmount = DuplicateAmount + (e.Outcome == LineOutcome.Duplicate ? e.Amount : 0m),
            Unread =
                e.Outcome == LineOutcome.Malformed && Unread.Count < UnreadKept
                    ? [.. Unread, new UnreadLine(e.Line, e.Reason ?? "")]
                    : Unread,
        };
    }

    /// <summary>Folds any event of a file's stream (the others leave it as it is).</summary>
    public BankFileReconciliation After(object e) =>
        e switch
        {
            BankFileLineRecorded line => After(line),
            SuspenseAssigned assigned => After(assigned),
            SuspenseRefunded refunded => After(refunded),
            BankFileCompleted completed => After(completed),
            _ => this,
        };

    public BankFileReconciliation After(SuspenseAssigned e) =>
        this with
        {
            Version = Version + 1,
            SuspenseAssigned = SuspenseAssigned + e.Amount,
        };

    public BankFileReconciliation After(SuspenseRefunded e) =>
        this with
        {
            Version = Version + 1,
            SuspenseRefunded = SuspenseRefunded + e.Amount,
        };

    public BankFileReconciliation After(BankFileCompleted e) =>
        this with
        {
            Version = Version + 1,
            Status = BankFileStatus.Completed,
            Statements = e.Statements ?? Statements,
        };
}

/// <summary>One line of a file as finance reads it; id "{fileId}/{line}".</summary>
public sealed record BankFileLineRow(string Id, string FileId, BankFileLineRecorded Line)
{
    public static string IdOf(string fileId, int line) => $"{fileId}/{line}";
}

public enum SuspenseStatus
{
    Open,
    Assigned,
    Refunded,
}

/// <summary>
/// Money held until finance finds whose it is: an unknown payer, a conflicting reference, an unknown bank, or money
/// held for review (<see cref="Reason"/>), with what the bank said of the payer.
/// </summary>
public sealed record SuspenseItem(
    string Id,
    string FileId,
    int Line,
    string BankCode,
    string TransactionId,
    string AffiliationNumber,
    NodaTime.LocalDate PaidOn,
    decimal Amount,
    string Channel,
    SuspenseStatus Status,
    string? AssignedTo = null,
    string? RefundReason = null,
    string? Reason = null,
    string? DebtorName = null,
    string? DebtorAccount = null,
    string? Remittance = null
)
{
    /// <summary>The id of the suspense item a file's line became: "{fileId}-{line}".</summary>
    public static string IdOf(string fileId, int line) => $"{fileId}-{line}";
}
