using System.Security.Claims;
using Marten;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>Stamps every event of a request with who recorded it and the request's correlation id.</summary>
public static class Recording
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static IDocumentSession OpenSession(this IDocumentStore store, HttpContext context) =>
        store.OpenSession(
            context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous",
            context.User.FindFirstValue(ClaimTypes.Role) ?? "none",
            context.Request.Headers.TryGetValue(CorrelationHeader, out var id) && !string.IsNullOrWhiteSpace(id)
                ? id.ToString()
                : context.TraceIdentifier);

    /// <summary>The same stamps without a request (the benchmarks drive the command path in process).</summary>
    public static IDocumentSession OpenSession(this IDocumentStore store, string who, string role, string correlationId)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = $"{who} ({role})";
        session.CorrelationId = correlationId;
        session.SetHeader("recordedBy", who);
        session.SetHeader("role", role);
        session.SetHeader("channel", "api");
        return session;
    }
}
