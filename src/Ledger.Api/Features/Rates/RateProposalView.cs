using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Api.Features.Rates;

public sealed record RateProposalView(
    Guid Id,
    string Kind,
    string FirstPeriod,
    decimal? MinimumWage,
    string ProposedBy,
    string Reason,
    string Status,
    string? DecidedBy
)
{
    public static RateProposalView Of(RateProposal p) =>
        new(
            p.Id,
            p.Kind.ToString(),
            Periods.Format(p.FirstPeriod),
            p.MinimumWage,
            p.ProposedBy,
            p.Reason,
            p.Status.ToString(),
            p.DecidedBy
        );
}
