using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>
/// Deliver one change to one subscriber (durable local queue <c>webhooks</c>): retried with backoff while the
/// subscriber fails, dead-lettered once <see cref="Since"/> is older than <c>Webhooks:GiveUpAfter</c>.
/// </summary>
/// (A BCL type: Wolverine's message serializer has no NodaTime converters.)
public sealed record DeliverRightsChange(Guid SubscriptionId, Guid ChangeId, DateTimeOffset Since);
