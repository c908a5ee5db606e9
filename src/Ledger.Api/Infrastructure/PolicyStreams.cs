using JasperFx.Events;
using Marten;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The streams of the regime's reference data (the rate schedule, the partner banks): seeded from configuration
/// at a first start, then changed by events; each node caches them and checks their version now and then.
/// </summary>
public static class PolicyStreams
{
    /// <summary>Records the configured first events of a stream, unless it exists. Safe on several nodes at
    /// once.</summary>
    public static async Task EnsureSeededAsync(
        IDocumentStore store,
        string streamId,
        string seededBy,
        IEnumerable<object> seed,
        CancellationToken ct
    )
    {
        await using var session = store.LightweightSession();
        if (await session.Events.FetchStreamStateAsync(streamId, ct) is not null)
            return;
        session.LastModifiedBy = seededBy;
        session.SetHeader("recordedBy", seededBy);
        session.SetHeader("channel", "system");
        session.Events.StartStream(streamId, [.. seed]);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e)
            when (e is ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
                || e.InnerException
                    is ExistingStreamIdCollisionException
                        or Marten.Exceptions.ExistingStreamIdCollisionException
            )
        {
            // Another node seeded it first, from the same configuration.
        }
    }

    /// <summary>The stream's events' data and its version (0 when it does not exist).</summary>
    public static async Task<(IReadOnlyList<object> Events, long Version)> ReadAsync(
        IDocumentStore store,
        string streamId,
        CancellationToken ct
    )
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, token: ct);
        return ([.. events.Select(e => e.Data)], events.Count == 0 ? 0 : events[^1].Version);
    }

    public static async Task<long> VersionAsync(IDocumentStore store, string streamId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(streamId, ct))?.Version ?? 0;
    }
}
