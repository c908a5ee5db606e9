using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

public sealed record ReplayReport(int Replayed, IReadOnlyList<Guid> Deliveries);
