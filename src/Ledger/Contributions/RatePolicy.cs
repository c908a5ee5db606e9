using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

/// <summary>
/// The rules for changing the schedule: pure, like every other decision. No recorded contribution is ever
/// re-priced: a paid period keeps the base it was paid at, so a new row starts after the current month even where
/// periods are paid in advance past it, and a row is withdrawn or corrected only while no period was paid at its
/// contribution. A minimum
/// wage must be plausible (<see cref="RegimeRules.MinimumWageFloor"/> to <see cref="RegimeRules.MinimumWageCeiling"/>)
/// and a new row's first period within <see cref="RegimeRules.RateHorizonMonths"/> months: a typing mistake such
/// as 9999-12 would otherwise block every real row after it.
/// </summary>
public static class RatePolicy
{
    public static RatePolicyState Fold(IEnumerable<object> events) =>
        events.Aggregate(RatePolicyState.Empty, (s, e) => s.After(e));

    public static IReadOnlyList<Refusal> Check(
        RateAdded row,
        RateSchedule current,
        YearMonth thisMonth,
        RegimeRules rules
    )
    {
        var refusals = new List<Refusal>();
        if (WageProblem(row.MinimumWage, rules) is { } wage)
            refusals.Add(Refusal.Invalid("minimumWage", wage));
        var horizon = thisMonth.PlusMonths(rules.RateHorizonMonths);
        var last = current.Rows[^1].FirstPeriod;
        if (row.FirstPeriod > horizon)
            refusals.Add(
                Refusal.Invalid(
                    "firstPeriod",
                    $"A new row may start at most {rules.RateHorizonMonths} months ahead, by {Periods.Format(horizon)}."
                )
            );
        else if (row.FirstPeriod <= last)
            refusals.Add(
                Refusal.Conflict(
                    "firstPeriod",
                    $"Rows cannot be back-dated: the schedule's last row starts at {Periods.Format(last)}; a new row must start after it."
                )
            );
        // Periods already paid, in advance too, keep what was paid (SPEC: a period paid in advance stays paid if the
        // schedule changes later): a new row prices only what is still unpaid, from a month still to come.
        else if (row.FirstPeriod <= thisMonth)
            refusals.Add(
                Refusal.Conflict(
                    "firstPeriod",
                    $"Rows cannot be back-dated: a new row must start after the current month, {Periods.Format(thisMonth)}."
                )
            );
        return refusals;
    }

    /// <summary>A proposal to withdraw or correct a row: the row exists, no payment used it, nothing else is pending on
    /// it.</summary>
    public static IReadOnlyList<Refusal> CheckProposal(
        RateChangeProposed p,
        RatePolicyState state,
        IReadOnlyCollection<PaidPrice> paid,
        RegimeRules rules
    )
    {
        var refusals = new List<Refusal>();
        if (string.IsNullOrWhiteSpace(p.Reason))
            refusals.Add(Refusal.Invalid("reason", "Say why the row must change."));
        if (p.Kind == RateChangeKind.Correct)
        {
            if (p.MinimumWage is not { } wage)
                refusals.Add(Refusal.Invalid("minimumWage", "A correction needs the minimum wage."));
            else if (WageProblem(wage, rules) is { } problem)
                refusals.Add(Refusal.Invalid("minimumWage", problem));
        }
        else if (p.MinimumWage is not null)
            refusals.Add(
                Refusal.Invalid(
                    "minimumWage",
                    "A withdrawal takes no minimum wage: the previous row is in force from then on."
                )
            );
        if (refusals.Count > 0)
            return refusals;

        var row = state.Rows.FirstOrDefault(r => r.FirstPeriod == p.FirstPeriod);
        if (row is null)
            return
            [
                new Refusal(
                    RefusalKind.NotFound,
                    "firstPeriod",
                    $"No row of the schedule starts at {Periods.Format(p.FirstPeriod)}."
                ),
            ];
        if (UsedProblem(row, state, paid) is { } used)
            return [Refusal.Conflict("firstPeriod", used)];
        if (p.Kind == RateChangeKind.Withdraw && state.Rows[0].FirstPeriod == p.FirstPeriod)
            return
            [
                Refusal.Conflict(
                    "firstPeriod",
                    "The schedule's first row cannot be withdrawn: every period needs a rate."
                ),
            ];
        if (p.Kind == RateChangeKind.Correct && row.MinimumWage == p.MinimumWage)
            return [Refusal.Invalid("minimumWage", $"The row already has the minimum wage {p.MinimumWage:0.00}.")];
        if (state.Proposals.Any(o => o.Status == ProposalStatus.Open && o.FirstPeriod == p.FirstPeriod))
            return
            [
                Refusal.Conflict(
                    "firstPeriod",
                    $"A change of the row {Periods.Format(p.FirstPeriod)} is already waiting for approval."
                ),
            ];
        return [];
    }

    /// <summary>
    /// The events of an approval by <paramref name="approvedBy"/>: another person than the one who proposed it, and
    /// the row still unused by any payment (payments may have come in since the proposal).
    /// </summary>
    public static (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events) Approve(
        Guid proposalId,
        string approvedBy,
        RatePolicyState state,
        IReadOnlyCollection<PaidPrice> paid
    )
    {
        var (proposal, missing) = OpenProposal(proposalId, state);
        if (proposal is null)
            return ([missing!], []);
        if (string.Equals(proposal.ProposedBy, approvedBy, StringComparison.Ordinal))
            return (
                [Refusal.Conflict("approvedBy", $"{approvedBy} proposed this change; another person must approve it.")],
                []
            );
        if (
            state.Rows.FirstOrDefault(r => r.FirstPeriod == proposal.FirstPeriod) is { } row
            && UsedProblem(row, state, paid) is { } used
        )
            return ([Refusal.Conflict("firstPeriod", used)], []);
        object change =
            proposal.Kind == RateChangeKind.Withdraw
                ? new RateWithdrawn(proposal.FirstPeriod, proposal.Id)
                : new RateCorrected(proposal.FirstPeriod, proposal.MinimumWage!.Value, proposal.Id);
        return ([], [new RateChangeApproved(proposal.Id, approvedBy), change]);
    }

    public static (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events) Reject(
        Guid proposalId,
        string rejectedBy,
        string? reason,
        RatePolicyState state
    )
    {
        if (OpenProposal(proposalId, state).Refusal is { } missing)
            return ([missing], []);
        if (string.IsNullOrWhiteSpace(reason))
            return ([Refusal.Invalid("reason", "Say why the change is turned down.")], []);
        return ([], [new RateChangeRejected(proposalId, rejectedBy, reason.Trim())]);
    }

    private static (RateProposal? Proposal, Refusal? Refusal) OpenProposal(Guid id, RatePolicyState state)
    {
        var proposal = state.Proposals.FirstOrDefault(p => p.Id == id);
        if (proposal is null)
            return (null, new Refusal(RefusalKind.NotFound, "id", $"No proposal has the id {id}."));
        return proposal.Status == ProposalStatus.Open
            ? (proposal, null)
            : (
                null,
                Refusal.Conflict(
                    "id",
                    $"The proposal is already {proposal.Status.ToString().ToLowerInvariant()} by {proposal.DecidedBy}."
                )
            );
    }

    /// <summary>
    /// Why a row can no longer change: a period it prices (from its first period up to the next row's) was paid at its
    /// contribution. Periods paid in advance before the row was added were priced by the row before it and keep that
    /// price (SPEC: a period paid in advance stays paid), so they do not hold the row. Where the row before had the
    /// same contribution, the row is taken as used: the check errs on the side of keeping a row.
    /// </summary>
    private static string? UsedProblem(RateRow row, RatePolicyState state, IReadOnlyCollection<PaidPrice> paid)
    {
        var next = state
            .Rows.Where(r => r.FirstPeriod > row.FirstPeriod)
            .Select(r => (YearMonth?)r.FirstPeriod)
            .DefaultIfEmpty()
            .Min();
        var priced = paid.Where(p =>
                p.Period >= row.FirstPeriod && (next is null || p.Period < next) && p.Base == row.MonthlyContribution
            )
            .Select(p => (YearMonth?)p.Period)
            .DefaultIfEmpty()
            .Max();
        return priced is { } latest
            ? $"Periods up to {Periods.Format(latest)} were paid at this row's contribution ({row.MonthlyContribution:0.00}): the row of {Periods.Format(row.FirstPeriod)} prices them and stays."
            : null;
    }

    private static string? WageProblem(decimal wage, RegimeRules rules) =>
        !Money.IsWholeCents(wage) || wage < rules.MinimumWageFloor || wage > rules.MinimumWageCeiling
            ? $"The minimum wage must be an amount in dollars and cents from {rules.MinimumWageFloor:0.00} to {rules.MinimumWageCeiling:0.00}."
            : null;
}
