namespace Salex.Ledger.Contributions;

/// <summary>The policy stream folded: the schedule's rows and every proposal.</summary>
public sealed record RatePolicyState(IReadOnlyList<RateRow> Rows, IReadOnlyList<RateProposal> Proposals)
{
    public static RatePolicyState Empty { get; } = new([], []);

    /// <summary>The schedule, or null while the stream has no row.</summary>
    public RateSchedule? Schedule => Rows.Count == 0 ? null : new RateSchedule(Rows);

    public RatePolicyState After(object e) =>
        e switch
        {
            RateAdded r => this with { Rows = [.. Rows, new RateRow(r.FirstPeriod, r.MinimumWage)] },
            RateWithdrawn w => this with { Rows = [.. Rows.Where(r => r.FirstPeriod != w.FirstPeriod)] },
            RateCorrected c => this with
            {
                Rows =
                [
                    .. Rows.Select(r => r.FirstPeriod == c.FirstPeriod ? r with { MinimumWage = c.MinimumWage } : r),
                ],
            },
            RateChangeProposed p => this with
            {
                Proposals =
                [
                    .. Proposals,
                    new RateProposal(p.ProposalId, p.Kind, p.FirstPeriod, p.MinimumWage, p.ProposedBy, p.Reason),
                ],
            },
            RateChangeApproved a => Decided(a.ProposalId, ProposalStatus.Approved, a.ApprovedBy),
            RateChangeRejected r => Decided(r.ProposalId, ProposalStatus.Rejected, r.RejectedBy),
            _ => this,
        };

    private RatePolicyState Decided(Guid id, ProposalStatus status, string by) =>
        this with
        {
            Proposals = [.. Proposals.Select(p => p.Id == id ? p with { Status = status, DecidedBy = by } : p)],
        };
}
