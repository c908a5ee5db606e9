using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>The dead letters to replay by id; none listed: all of them.</summary>
public sealed record ReplayDeadLettersRequest(Guid[]? Ids);
