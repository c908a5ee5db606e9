using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

public sealed record RegisterWebhookRequest(string? Url, string? Secret, string[]? Causes);
