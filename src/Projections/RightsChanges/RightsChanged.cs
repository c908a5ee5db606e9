using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Projections.RightsChanges;

/// <summary>
/// The integration message: a person's standing changed (<see cref="RightsChange"/>). Published through Wolverine's
/// durable outbox in the transaction of the events that caused it (or by the daily rights sweep), recorded in the
/// feed, then delivered to each webhook subscriber. <see cref="Id"/> identifies the change for good: a receiver
/// that sees it twice has seen one change.
/// </summary>
public sealed record RightsChanged(
    Guid Id,
    string AffiliationNumber,
    Guid? BeneficiaryId,
    string? BeneficiaryName,
    string From,
    string To,
    string EffectiveOn,
    string Cause,
    string RecordedAt
)
{
    public static RightsChanged Of(RightsChange change, Instant recordedAt) =>
        new(
            change.Id,
            change.AffiliationNumber,
            change.BeneficiaryId,
            change.BeneficiaryName,
            change.From.ToString(),
            change.To.ToString(),
            Dates.Format(change.EffectiveOn),
            change.Cause,
            InstantPattern.ExtendedIso.Format(recordedAt)
        );
}
