using Salex.Ledger.Contributions;

namespace Salex.Ledger.BankFiles;

/// <summary>What a line does: its outcome, the events for the payer's stream, and the line's record for the file's
/// stream.</summary>
public sealed record LineDecision(
    BankFileLineRecorded Recorded,
    IReadOnlyList<object> AccountEvents,
    PaymentAllocation? Allocation
)
{
    public LineOutcome Outcome => Recorded.Outcome;
}
