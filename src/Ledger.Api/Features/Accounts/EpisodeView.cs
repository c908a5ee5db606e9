using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>
/// One coverage episode: from enrolment to its end (lapse, withdrawal, return), if it ended. Its last covered period is
/// the rights answer's (<see cref="EpisodeEnd.Recorded"/>: from the money as it stands, so money dated before a
/// withdrawal but recorded after it counts), not the one the <see cref="Lapsed"/> event carried when it was recorded.
/// </summary>
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
    public static EpisodeView Of(Account account, Episode e) =>
        new(
            e.Number,
            Dates.Format(e.EnrolledOn),
            Periods.Format(e.FirstPeriod),
            Dates.Format(e.ReturnedOn),
            Dates.Format(e.CoveredUntil),
            Dates.Format(e.EndedOn),
            e.EndReason?.ToString(),
            EpisodeEnd.Recorded(account, e)?.LastCoveredPeriod is { } l ? Periods.Format(l) : null
        );
}
