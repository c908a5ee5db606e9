using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// A page of the feed: the changes after the cursor asked for, in order, and the cursor to ask with next (the last
/// change's number, or the same cursor when there was nothing new).
/// </summary>
public sealed record RightsChangePage(IReadOnlyList<RightsChangeItem> Changes, long Next);
