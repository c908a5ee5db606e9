using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features;

public sealed record HealthReport(string Status, string Database, string? Reason);

public static class HealthEndpoint
{
    /// <summary>Liveness and database readiness; open to everyone.</summary>
    [WolverineGet("/health")]
    [AllowAnonymous]
    public static async Task<IResult> Get(IDocumentStore store, CancellationToken ct)
    {
        try
        {
            await using var session = store.QuerySession();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await session.AdvancedSql.QueryAsync<int>("select 1", timeout.Token);
            return Results.Ok(new HealthReport("Healthy", "Ready", null));
        }
        catch (Exception e)
        {
            return Results.Json(new HealthReport("Unhealthy", "Unavailable", e.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
