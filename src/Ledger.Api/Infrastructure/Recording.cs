using Marten;
using Wolverine;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Stamps every event of a request with who recorded it and the request's correlation id: the event's user name
/// (<c>who (role)</c>), the headers <c>recordedBy</c>, <c>role</c> and <c>channel</c>, and the correlation id
/// (<c>X-Correlation-Id</c>, else the request's trace identifier), as <see cref="Stamps"/> defines them. One
/// definition, whether the request opens its session itself (<see cref="OpenSession(IDocumentStore, HttpContext)"/>)
/// or sends a command to a Wolverine handler (<see cref="Of"/>, stamped by <see cref="RecordingMiddleware"/>).
/// </summary>
public static class Recording
{
    public const string CorrelationHeader = Stamps.CorrelationHeader;

    // The envelope headers that carry the stamps from an endpoint to the handler of its command.
    internal const string WhoHeader = "salex-recorded-by";
    internal const string RoleHeader = "salex-role";
    internal const string CorrelationIdHeader = "salex-correlation-id";
    internal const string ChannelHeader = "salex-channel";

    public static IDocumentSession OpenSession(this IDocumentStore store, HttpContext context) =>
        store.OpenSession(Stamps.Of(context));

    /// <summary>The same stamps without a request (the benchmarks drive the command path in process).</summary>
    public static IDocumentSession OpenSession(this IDocumentStore store, Stamps stamps)
    {
        var session = store.LightweightSession();
        stamps.Apply(session);
        return session;
    }

    /// <summary>The request's stamps, carried as envelope headers to the handler of the command it sends.</summary>
    public static DeliveryOptions Of(HttpContext context) => Of(Stamps.Of(context));

    /// <summary>Given stamps (the command line, the benchmarks), carried the same way.</summary>
    public static DeliveryOptions Of(Stamps stamps)
    {
        return new DeliveryOptions()
            .WithHeader(WhoHeader, stamps.Who)
            .WithHeader(RoleHeader, stamps.Role)
            .WithHeader(CorrelationIdHeader, stamps.CorrelationId)
            .WithHeader(ChannelHeader, stamps.Channel);
    }
}
