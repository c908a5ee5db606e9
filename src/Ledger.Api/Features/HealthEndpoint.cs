using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features;

public static class HealthEndpoint
{
    /// <summary>
    /// Liveness and database readiness; open to everyone, so it says what is wrong and nothing more: the
    /// driver's message (hosts, ports, user names) goes to the log.
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
            await using var session = store.QuerySession();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await session.AdvancedSql.QueryAsync<int>("select 1", timeout.Token);
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
