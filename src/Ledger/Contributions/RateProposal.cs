using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>A proposed withdrawal or correction of a row, and what became of it.</summary>
public sealed record RateProposal(
    Guid Id,
    RateChangeKind Kind,
    YearMonth FirstPeriod,
    decimal? MinimumWage,
    string ProposedBy,
    string Reason,
    ProposalStatus Status = ProposalStatus.Open,
    string? DecidedBy = null
);
