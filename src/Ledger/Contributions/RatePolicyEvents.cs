using NodaTime;

namespace Salex.Ledger.Contributions;

// The events of the policy stream (policy-rates). A row is added by one policy administrator; withdrawing or
// correcting a row that no payment has used yet takes two people: one proposes, another approves.

public enum RateChangeKind
{
    Withdraw,
    Correct,
}

/// <summary>A change to a row is proposed; nothing changes until another person approves it.</summary>
public sealed record RateChangeProposed(
    Guid ProposalId,
    RateChangeKind Kind,
    YearMonth FirstPeriod,
    decimal? MinimumWage,
    string ProposedBy,
    string Reason
);

/// <summary>A second person approved the proposal; the change itself follows in the same commit.</summary>
public sealed record RateChangeApproved(Guid ProposalId, string ApprovedBy);

/// <summary>The proposal was turned down (or withdrawn by its author); nothing changes.</summary>
public sealed record RateChangeRejected(Guid ProposalId, string RejectedBy, string Reason);

/// <summary>The row starting at <see cref="FirstPeriod"/> no longer exists: the previous row is in force from then
/// on.</summary>
public sealed record RateWithdrawn(YearMonth FirstPeriod, Guid ProposalId);

/// <summary>The row starting at <see cref="FirstPeriod"/> has another minimum wage.</summary>
public sealed record RateCorrected(YearMonth FirstPeriod, decimal MinimumWage, Guid ProposalId);
