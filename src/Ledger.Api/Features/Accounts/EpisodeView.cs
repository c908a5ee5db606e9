using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>One coverage episode: from enrolment to its end (lapse, withdrawal, return), if it ended.</summary>
public sealed record EpisodeView(
    int Number,
    string EnrolledOn,
    string FirstPeriod,
    string? ReturnedOn,
    string? CoveredUntil,
    string? EndedOn,
    string? EndReason,
    string? LastCoveredPeriod
)
{
    public static EpisodeView Of(Episode e) =>
        new(
            e.Number,
            Dates.Format(e.EnrolledOn),
            Periods.Format(e.FirstPeriod),
            Dates.Format(e.ReturnedOn),
            Dates.Format(e.CoveredUntil),
            Dates.Format(e.EndedOn),
            e.EndReason?.ToString(),
            e.LastCoveredPeriod is { } l ? Periods.Format(l) : null
        );
}
