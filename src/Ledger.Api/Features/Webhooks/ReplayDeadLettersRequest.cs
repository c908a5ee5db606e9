using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>The dead letters to replay by id; without ids: all of them (an empty list: none).</summary>
public sealed record ReplayDeadLettersRequest(Guid[]? Ids);
