using NodaTime;

namespace Salex.Projections.RightsChanges;

/// <summary>
/// A system that wants changes of standing pushed to it: where (an absolute http or https URL, the only address the
/// ledger sends its changes to), the secret that signs each delivery (never answered, never logged), and which
/// causes it wants (none listed: all).
/// </summary>
public sealed record WebhookSubscription(
    Guid Id,
    string Url,
    string Secret,
    IReadOnlyList<string> Causes,
    Instant RegisteredAt,
    string RegisteredBy
)
{
    public bool Wants(RightsChanged change) => Causes.Count == 0 || Causes.Contains(change.Cause);
}
