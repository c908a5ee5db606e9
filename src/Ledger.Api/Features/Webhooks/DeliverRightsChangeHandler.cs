using System.Globalization;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>
/// POSTs one change to one subscriber, signed. A failure throws <see cref="WebhookDeliveryFailed"/>, which Wolverine
/// schedules again with backoff (<see cref="WebhookPolicies"/>), durably: a restart of the ledger resumes the
/// schedule. Past <c>Webhooks:GiveUpAfter</c> the delivery goes to the dead letters instead.
/// </summary>
public static class DeliverRightsChangeHandler
{
    public const string HttpClientName = "webhooks";

    public static async Task Handle(
        DeliverRightsChange delivery,
        IQuerySession session,
        IHttpClientFactory clients,
        IClock clock,
        IOptions<WebhookSettings> settings,
        Envelope envelope,
        CancellationToken ct
    )
    {
        var subscription = await session.LoadAsync<WebhookSubscription>(delivery.SubscriptionId, ct);
        var entry = await session.LoadAsync<RightsChangeEntry>(delivery.ChangeId, ct);
        if (subscription is null || entry is null)
            return; // unsubscribed since (or the ledger was reset): nobody to deliver to
        var now = clock.GetCurrentInstant();
        if (now - Instant.FromDateTimeOffset(delivery.Since) > Duration.FromTimeSpan(settings.Value.GiveUpAfter))
            throw new WebhookGaveUp(
                $"Delivery of {delivery.ChangeId} to webhook {delivery.SubscriptionId} failed for longer than "
                    + $"Webhooks:GiveUpAfter ({settings.Value.GiveUpAfter}); {envelope.Attempts} attempts."
            );

        var body = JsonSerializer.SerializeToUtf8Bytes(entry.Change, LedgerJson.Options);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(
            WebhookSignature.SignatureHeader,
            WebhookSignature.Of(subscription.Secret, timestamp, body)
        );
        request.Headers.Add(WebhookSignature.MessageIdHeader, entry.Id.ToString());
        request.Headers.Add(WebhookSignature.AttemptHeader, envelope.Attempts.ToString(CultureInfo.InvariantCulture));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Value.Timeout);
        HttpResponseMessage response;
        try
        {
            // The status is the answer: the body is not read, so a subscriber that holds it open is not counted as
            // failed (and sent the change again) and a huge one does not fill the ledger's memory.
            response = await clients
                .CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The exception's own message may hold the URL; only its type is kept.
            throw new WebhookDeliveryFailed(
                $"Webhook {subscription.Id} could not be reached for {entry.Id} ({e.GetType().Name})."
            );
        }
        using (response)
            if (!response.IsSuccessStatusCode)
                throw new WebhookDeliveryFailed(
                    $"Webhook {subscription.Id} answered {(int)response.StatusCode} for {entry.Id}."
                );
    }
}
