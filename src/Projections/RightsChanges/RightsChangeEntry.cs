namespace Salex.Projections.RightsChanges;

/// <summary>
/// One change in the feed (<c>GET /api/rights-changes</c>): its number in the feed, from 1, and the message. Written
/// by the feed's handler (<c>RecordRightsChangeHandler</c>), one writer at a time, so that numbers are committed in their order.
/// </summary>
public sealed record RightsChangeEntry(Guid Id, long Sequence, RightsChanged Change);
