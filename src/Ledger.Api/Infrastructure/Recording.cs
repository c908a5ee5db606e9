using System.Security.Claims;
using Marten;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>Stamps every event of a request with who recorded it and the request's correlation id.</summary>
public static class Recording
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static IDocumentSession OpenSession(this IDocumentStore store, HttpContext context)
    {
        var session = store.LightweightSession();
        var who = context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";
        var role = context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        session.LastModifiedBy = $"{who} ({role})";
        session.CorrelationId = context.Request.Headers.TryGetValue(CorrelationHeader, out var id) && !string.IsNullOrWhiteSpace(id)
            ? id.ToString()
            : context.TraceIdentifier;
        session.SetHeader("recordedBy", who);
        session.SetHeader("role", role);
        session.SetHeader("channel", "api");
        return session;
    }
}
