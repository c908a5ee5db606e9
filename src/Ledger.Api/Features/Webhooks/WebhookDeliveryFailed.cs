using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>A subscriber did not take a delivery (down, timed out, or answered other than 2xx): retried later. The
/// message names the subscription and the status, never its URL or secret.</summary>
public sealed class WebhookDeliveryFailed(string message, Exception? inner = null) : Exception(message, inner);
