using System.Security.Claims;
using JasperFx.Events;
using Marten;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Who recorded an event and in answer to which request: the event's user name (<c>who (role)</c>), the headers
/// <c>recordedBy</c>, <c>role</c> and <c>channel</c>, and the correlation id (<c>X-Correlation-Id</c>, else the
/// request's trace identifier). Set on a whole session, or on single events when one transaction records the
/// requests of several callers (the payments' group commit).
/// </summary>
public sealed record Stamps(string Who, string Role, string CorrelationId, string Channel = "api")
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static Stamps Of(HttpContext context) =>
        new(
            context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous",
            context.User.FindFirstValue(ClaimTypes.Role) ?? "none",
            context.Request.Headers.TryGetValue(CorrelationHeader, out var id) && !string.IsNullOrWhiteSpace(id)
                ? id.ToString()
                : context.TraceIdentifier
        );

    public string UserName => $"{Who} ({Role})";

    public void Apply(IDocumentSession session)
    {
        session.LastModifiedBy = UserName;
        session.CorrelationId = CorrelationId;
        // Wolverine's session for a handler names the envelope's conversation as the cause; a request has none.
        session.CausationId = null;
        session.SetHeader("recordedBy", Who);
        session.SetHeader("role", Role);
        session.SetHeader("channel", Channel);
    }

    public void Apply(IEvent e)
    {
        e.UserName = UserName;
        e.CorrelationId = CorrelationId;
        e.CausationId = null;
        e.SetHeader("recordedBy", Who);
        e.SetHeader("role", Role);
        e.SetHeader("channel", Channel);
    }
}
