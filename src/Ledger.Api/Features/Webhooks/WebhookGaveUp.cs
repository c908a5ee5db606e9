using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>A delivery still failing after <c>Webhooks:GiveUpAfter</c>: moved to the dead letters, for an admin to
/// see and replay.</summary>
public sealed class WebhookGaveUp(string message) : Exception(message);
