using System.Text.Json.Serialization;
using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Accounts;

/// <summary>
/// A coverage episode: from an enrolment to its end. <see cref="EndedOn"/> is the first day without
/// coverage once a <see cref="Lapsed"/> is recorded; <see cref="CoveredUntil"/> the end of a return window.
/// </summary>
public sealed record Episode(int Number, LocalDate EnrolledOn, YearMonth FirstPeriod)
{
    public LocalDate? ReturnedOn { get; init; }
    public LocalDate? CoveredUntil { get; init; }
    public LocalDate? EndedOn { get; init; }
    public LapseReason? EndReason { get; init; }

    /// <summary>As the <see cref="Lapsed"/> event recorded it. Money dated before a withdrawal or a return window's
    /// end may be recorded after it: read the last covered period with <c>EpisodeEnd.Recorded</c>, which counts
    /// it.</summary>
    public YearMonth? LastCoveredPeriod { get; init; }

    [JsonIgnore]
    public bool IsEnded => EndedOn is not null;

    /// <summary>
    /// The last period this episode can still cover as far as the ledger knows: the month in which a return
    /// window ends, or the month of the last day before a withdrawal; null while neither is recorded. No money
    /// pays a period after it.
    /// </summary>
    [JsonIgnore]
    public YearMonth? LastCoverablePeriod
    {
        get
        {
            YearMonth? window = CoveredUntil is { } until ? Periods.PeriodOf(until) : null;
            YearMonth? withdrawal =
                EndReason == LapseReason.Withdrawal && EndedOn is { } ended
                    ? Periods.PeriodOf(ended.PlusDays(-1))
                    : null;
            return window is { } w && withdrawal is { } x ? (w < x ? w : x) : window ?? withdrawal;
        }
    }
}
