using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>A delivery Wolverine gave up on: which change to which subscriber, when it failed and why.</summary>
public sealed record WebhookDeadLetter(
    Guid Id,
    Guid SubscriptionId,
    Guid ChangeId,
    string? FailedAt,
    string? ExceptionType,
    string? Reason
);
