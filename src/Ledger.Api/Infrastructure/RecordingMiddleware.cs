using Marten;
using Wolverine;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Wolverine middleware of the account command handlers: stamps the handler's session with the stamps the endpoint
/// put on the envelope (<see cref="Recording.Of"/>), before the handler decides and its events are appended.
/// </summary>
public static class RecordingMiddleware
{
    public static void Before(Envelope envelope, IDocumentSession session)
    {
        string Header(string key, string absent) =>
            envelope.Headers.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : absent;

        new Stamps(
            Header(Recording.WhoHeader, "anonymous"),
            Header(Recording.RoleHeader, "none"),
            Header(Recording.CorrelationIdHeader, envelope.CorrelationId ?? envelope.Id.ToString()),
            Header(Recording.ChannelHeader, "api")
        ).Apply(session);
    }
}
