using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>The daily message that publishes the changes of standing the passage of time made (scheduled by
/// Wolverine, durable across restarts).</summary>
public sealed record SweepRightsChanges;
