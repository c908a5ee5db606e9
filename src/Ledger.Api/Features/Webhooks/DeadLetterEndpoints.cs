using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.Http;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>
/// The webhook deliveries Wolverine dead-lettered (its <c>wolverine_dead_letters</c> table), and their replay: a
/// replay sends the delivery again as a new one, with a new <c>Webhooks:GiveUpAfter</c> period, then removes the dead
/// letter. The change's id does not change, so a subscriber that did get it after all sees the same id again.
/// </summary>
public static class DeadLetterEndpoints
{
    public const int MaxListed = 1000;

    [WolverineGet("/api/webhooks/dead-letters", OperationId = "listWebhookDeadLetters")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("The webhook deliveries given up (dead letters), oldest first.")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<IReadOnlyList<WebhookDeadLetter>>(200)]
    public static async Task<IReadOnlyList<WebhookDeadLetter>> Get(IWolverineRuntime runtime, CancellationToken ct) =>
        [.. (await DeadLettersAsync(runtime, null, ct)).Select(d => d.View)];

    [WolverinePost("/api/webhooks/dead-letters/replay", OperationId = "replayWebhookDeadLetters")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("Queue dead-lettered webhook deliveries again (the ones named, or all).")]
    [Authorize(Roles = Roles.Admin)]
    [Consumes(typeof(ReplayDeadLettersRequest), "application/json")]
    [ProducesResponseType<ReplayReport>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400, "application/problem+json")]
    public static async Task<IResult> Replay(
        HttpContext context,
        IWolverineRuntime runtime,
        IMessageBus bus,
        IClock clock,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<ReplayDeadLettersRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        if (request!.Ids is { Length: > MaxListed })
            return Problems.Invalid("ids", $"At most {MaxListed} ids.");
        // An empty list names no dead letter: only a request without ids replays them all.
        if (request.Ids is [])
            return Results.Ok(new ReplayReport(0, []));
        var letters = await DeadLettersAsync(runtime, request.Ids, ct);
        var now = clock.GetCurrentInstant();
        foreach (var (_, delivery) in letters)
            await bus.PublishAsync(delivery with { Since = now.ToDateTimeOffset() });
        // Sent (stored in the durable queue) before the dead letters are removed: a failure in between replays them
        // twice, never loses one.
        if (letters.Count > 0)
            await runtime.Storage.DeadLetters.DiscardAsync(
                new DeadLetterEnvelopeQuery([.. letters.Select(l => l.View.Id)]),
                ct
            );
        return Results.Ok(new ReplayReport(letters.Count, [.. letters.Select(l => l.View.Id)]));
    }

    private static async Task<List<(WebhookDeadLetter View, DeliverRightsChange Delivery)>> DeadLettersAsync(
        IWolverineRuntime runtime,
        Guid[]? ids,
        CancellationToken ct
    )
    {
        var query = ids is { Length: > 0 } ? new DeadLetterEnvelopeQuery(ids) : new DeadLetterEnvelopeQuery();
        query.PageSize = MaxListed;
        var results = await runtime.Storage.DeadLetters.QueryAsync(query, ct);
        var letters = new List<(WebhookDeadLetter, DeliverRightsChange)>();
        foreach (var letter in results.Envelopes)
            if (MessageOf(runtime, letter) is { } delivery)
                letters.Add(
                    (
                        new WebhookDeadLetter(
                            letter.Id,
                            delivery.SubscriptionId,
                            delivery.ChangeId,
                            letter.FailedAt?.ToString("O", CultureInfo.InvariantCulture)
                                ?? letter.SentAt.ToString("O", CultureInfo.InvariantCulture),
                            letter.ExceptionType,
                            letter.ExceptionMessage
                        ),
                        delivery
                    )
                );
        return letters;
    }

    /// <summary>The delivery a dead letter holds, read with Wolverine's own serializer if the store did not.</summary>
    private static DeliverRightsChange? MessageOf(IWolverineRuntime runtime, DeadLetterEnvelope letter)
    {
        if (letter.MessageType != typeof(DeliverRightsChange).FullName || letter.Envelope is not { } envelope)
            return null;
        if ((letter.Message ?? envelope.Message) is DeliverRightsChange known)
            return known;
        if (envelope.Data is not { Length: > 0 })
            return null;
        try
        {
            return runtime.Options.DefaultSerializer.ReadFromData(typeof(DeliverRightsChange), envelope)
                as DeliverRightsChange;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            return null; // written by an older version of the message: not replayable from here
        }
    }
}
