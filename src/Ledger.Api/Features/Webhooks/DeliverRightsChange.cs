using Salex.Projections.RightsChanges;
using NodaTime;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>
/// Deliver one change to one subscriber (durable local queue <c>webhooks</c>): retried with backoff while the
/// subscriber fails, dead-lettered once <see cref="Since"/> is older than <c>Webhooks:GiveUpAfter</c>.
/// </summary>
public sealed record DeliverRightsChange(Guid SubscriptionId, Guid ChangeId, Instant Since);
