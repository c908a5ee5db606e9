using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Projections.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features;

public static class HealthEndpoint
{
    /// <summary>
    /// Liveness and database readiness (reachable, and the event chain on); open to everyone, so it says what is
    /// wrong and nothing more: the driver's message (hosts, ports, user names) goes to the log.
    /// </summary>
    [WolverineGet("/health", OperationId = "getHealth")]
    [Tags(ApiAreas.Health)]
    [EndpointSummary("Liveness and database readiness")]
    [AllowAnonymous]
    [ProducesResponseType<HealthReport>(200)]
    [ProducesResponseType<HealthReport>(503)]
    public static async Task<IResult> Get(
        IDocumentStore store,
        HttpResponse response,
        ILogger<HealthReport> log,
        CancellationToken ct
    )
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            // The database answers, and the event chain is on: a node that would record events unhashed (a history
            // load running beside it) is taken out of the balancer's rotation.
            if (await EventChainGuard.ProblemAsync(store, timeout.Token) is { } chain)
            {
                log.LogError("Health check: {Problem}", chain);
                response.Headers.RetryAfter = Failures.RetryAfterSeconds.ToString();
                return Results.Json(
                    new HealthReport("Unhealthy", "Ready", "event chain off"),
                    statusCode: StatusCodes.Status503ServiceUnavailable
                );
            }
            return Results.Ok(new HealthReport("Healthy", "Ready", null));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Health check: the database is unreachable");
            response.Headers.RetryAfter = Failures.RetryAfterSeconds.ToString();
            return Results.Json(
                new HealthReport("Unhealthy", "Unreachable", "database unreachable"),
                statusCode: StatusCodes.Status503ServiceUnavailable
            );
        }
    }
}
