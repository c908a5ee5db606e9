using System.Security.Claims;
using Marten;
using Wolverine;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Stamps every event of a request with who recorded it and the request's correlation id: the event's user name
/// (<c>who (role)</c>), the headers <c>recordedBy</c>, <c>role</c> and <c>channel</c>, and the correlation id
/// (<c>X-Correlation-Id</c>, else the request's trace identifier). One definition, whether the request opens its
/// session itself (<see cref="OpenSession(IDocumentStore, HttpContext)"/>) or sends a command to a Wolverine handler
/// (<see cref="Of"/>, stamped by <see cref="RecordingMiddleware"/>).
/// </summary>
public static class Recording
{
    public const string CorrelationHeader = "X-Correlation-Id";

    // The envelope headers that carry the stamps from an endpoint to the handler of its command.
    internal const string WhoHeader = "salex-recorded-by";
    internal const string RoleHeader = "salex-role";
    internal const string CorrelationIdHeader = "salex-correlation-id";

    public static IDocumentSession OpenSession(this IDocumentStore store, HttpContext context)
    {
        var (who, role, correlationId) = StampsOf(context);
        return store.OpenSession(who, role, correlationId);
    }

    /// <summary>The same stamps without a request (the benchmarks drive the command path in process).</summary>
    public static IDocumentSession OpenSession(this IDocumentStore store, string who, string role, string correlationId)
    {
        var session = store.LightweightSession();
        Stamp(session, who, role, correlationId);
        return session;
    }

    /// <summary>The request's stamps, carried as envelope headers to the handler of the command it sends.</summary>
    public static DeliveryOptions Of(HttpContext context)
    {
        var (who, role, correlationId) = StampsOf(context);
        return new DeliveryOptions()
            .WithHeader(WhoHeader, who).WithHeader(RoleHeader, role).WithHeader(CorrelationIdHeader, correlationId);
    }

    public static void Stamp(IDocumentSession session, string who, string role, string correlationId)
    {
        session.LastModifiedBy = $"{who} ({role})";
        session.CorrelationId = correlationId;
        // Wolverine's session for a handler names the envelope's conversation as the cause; a request has none.
        session.CausationId = null;
        session.SetHeader("recordedBy", who);
        session.SetHeader("role", role);
        session.SetHeader("channel", "api");
    }

    private static (string Who, string Role, string CorrelationId) StampsOf(HttpContext context) => (
        context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous",
        context.User.FindFirstValue(ClaimTypes.Role) ?? "none",
        context.Request.Headers.TryGetValue(CorrelationHeader, out var id) && !string.IsNullOrWhiteSpace(id)
            ? id.ToString()
            : context.TraceIdentifier);
}
