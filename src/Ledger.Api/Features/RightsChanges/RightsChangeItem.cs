using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>One change of the feed with its cursor (its number in the feed).</summary>
public sealed record RightsChangeItem(
    long Cursor,
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
    public static RightsChangeItem Of(RightsChangeEntry entry) =>
        new(
            entry.Sequence,
            entry.Id,
            entry.Change.AffiliationNumber,
            entry.Change.BeneficiaryId,
            entry.Change.BeneficiaryName,
            entry.Change.From,
            entry.Change.To,
            entry.Change.EffectiveOn,
            entry.Change.Cause,
            entry.Change.RecordedAt
        );
}
