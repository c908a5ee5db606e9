using NodaTime.Text;
using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>A subscription as the API shows it: everything but the secret.</summary>
public sealed record WebhookView(
    Guid Id,
    string Url,
    IReadOnlyList<string> Causes,
    string RegisteredAt,
    string RegisteredBy
)
{
    public static WebhookView Of(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Causes, InstantPattern.ExtendedIso.Format(s.RegisteredAt), s.RegisteredBy);
}
