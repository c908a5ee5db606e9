using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Rights;
using Salex.Projections.RightsChanges;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Webhooks;

public static class WebhookEndpoints
{
    public const int MaxUrlLength = 2000;
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;
    public const int MaxSubscriptions = 100;

    /// <summary>Registers a subscriber: every change of standing it wants is POSTed to its URL, signed with its
    /// secret.</summary>
    [WolverinePost("/api/webhooks", OperationId = "registerWebhook")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("Register a webhook subscriber: its URL, its signing secret and the causes it wants.")]
    [Authorize(Roles = Roles.Admin)]
    [Consumes(typeof(RegisterWebhookRequest), "application/json")]
    [ProducesResponseType<WebhookView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<HttpValidationProblemDetails>(409, "application/problem+json")]
    public static async Task<IResult> Post(
        HttpContext context,
        IDocumentSession session,
        IClock clock,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<RegisterWebhookRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var refusals = new List<Refusal>();
        if (UrlProblem(request!.Url) is { } url)
            refusals.Add(Refusal.Invalid("url", url));
        if (SecretProblem(request.Secret) is { } secret)
            refusals.Add(Refusal.Invalid("secret", secret));
        var causes = request.Causes ?? [];
        var unknown = causes.Where(c => c is null || !RightsChangeCause.All.Contains(c)).ToList();
        if (causes.Length > RightsChangeCause.All.Count)
            refusals.Add(Refusal.Invalid("causes", $"At most {RightsChangeCause.All.Count} causes."));
        else if (unknown.Count > 0)
            refusals.Add(
                Refusal.Invalid(
                    "causes",
                    $"'{Wire.Shown(unknown[0])}' is not a cause; the causes are {string.Join(", ", RightsChangeCause.All)}."
                )
            );
        if (refusals.Count > 0)
            return Problems.From(refusals);
        if (await session.Query<WebhookSubscription>().CountAsync(ct) >= MaxSubscriptions)
            return Problems.Conflict("url", $"At most {MaxSubscriptions} subscriptions; remove one first.");

        var subscription = new WebhookSubscription(
            Guid.NewGuid(),
            new Uri(request.Url!.Trim(), UriKind.Absolute).AbsoluteUri,
            request.Secret!,
            [.. causes.Distinct()],
            clock.GetCurrentInstant(),
            Stamps.Of(context).UserName
        );
        session.Insert(subscription);
        await session.SaveChangesAsync(ct);
        return Results.Created($"/api/webhooks/{subscription.Id}", WebhookView.Of(subscription));
    }

    /// <summary>The subscribers, without their secrets.</summary>
    [WolverineGet("/api/webhooks", OperationId = "listWebhooks")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("The webhook subscribers (never their secrets).")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<IReadOnlyList<WebhookView>>(200)]
    public static async Task<IReadOnlyList<WebhookView>> Get(IQuerySession session, CancellationToken ct) =>
        [
            .. (await session.Query<WebhookSubscription>().ToListAsync(ct))
                .OrderBy(s => s.RegisteredAt)
                .Select(WebhookView.Of),
        ];

    /// <summary>Removes a subscriber: deliveries still pending for it are dropped.</summary>
    [WolverineDelete("/api/webhooks/{id}", OperationId = "removeWebhook")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("Remove a webhook subscriber.")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType(204)]
    [ProducesResponseType<HttpValidationProblemDetails>(404, "application/problem+json")]
    public static async Task<IResult> Delete(string id, IDocumentSession session, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var key) || await session.LoadAsync<WebhookSubscription>(key, ct) is null)
            return Problems.NotFound("id", $"No webhook subscription '{Wire.Shown(id)}'.");
        session.Delete<WebhookSubscription>(key);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    /// <summary>
    /// An absolute http or https URL with a host, no user name or password (they would be sent in the clear and
    /// shown in the list), no fragment, at most <see cref="MaxUrlLength"/> characters, no control characters.
    /// </summary>
    public static string? UrlProblem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return "The subscriber's URL is required.";
        if (Limits.TextProblem(url.Trim(), MaxUrlLength) is { } text)
            return text;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "An absolute http or https URL (https://host/path).";
        if (string.IsNullOrEmpty(uri.Host))
            return "The URL names no host.";
        if (uri.UserInfo.Length > 0)
            return "The URL may not carry a user name or password; the signature authenticates the ledger.";
        if (uri.Fragment.Length > 0)
            return "The URL may not have a fragment (#...).";
        return null;
    }

    private static string? SecretProblem(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
            return "A secret is required: it signs each delivery.";
        if (secret.Length < MinSecretLength || secret.Length > MaxSecretLength)
            return $"From {MinSecretLength} to {MaxSecretLength} characters.";
        // Never echoed: the reason says what is wrong, not the value.
        if (Limits.TextProblem(secret, MaxSecretLength) is not null || secret.Trim() != secret)
            return "Printable characters only, without surrounding blanks.";
        return null;
    }
}
