using JasperFx.Events;
using Marten;
using Salex.Ledger.Banks;

namespace Salex.Ledger.Api.Features.Banks;

/// <summary>
/// The partner banks as recorded on the <c>partner-banks</c> stream, held in memory so that checking a payment's
/// bank costs no round trip. Seeded at first start from <c>Ledger:PartnerBanks</c>; refreshed like the rate
/// schedule (the node that registers a bank reloads at once, the others within <c>Regime:RatesRefreshSeconds</c>).
/// </summary>
public sealed class PartnerBankRegistry(IConfiguration configuration)
{
    public const string StreamId = "partner-banks";

    /// <summary>The banks of the SPEC's examples and the benchmark's population, when nothing is configured.</summary>
    private static readonly PartnerBankRegistered[] Defaults =
    [
        new("AGRICOLA", "Banco Agrícola", []), new("CUSCATLAN", "Banco Cuscatlán", []),
        new("DAVIVIENDA", "Banco Davivienda", []), new("PROMERICA", "Banco Promerica", []),
        new("HIPOTECARIO", "Banco Hipotecario", []),
    ];

    private volatile Snapshot _current = new(PartnerBanks.Empty, 0);

    private sealed record Snapshot(PartnerBanks Banks, long Version);

    private sealed record BankSetting(string Code, string Name, string[]? Bics);

    public PartnerBanks Banks => _current.Banks;

    public long Version => _current.Version;

    public IReadOnlyList<PartnerBankRegistered> Seed =>
        configuration.GetSection("Ledger:PartnerBanks").Get<BankSetting[]>() is { Length: > 0 } configured
            ? [.. configured.Select(b => new PartnerBankRegistered(PartnerBanks.Normalize(b.Code), b.Name, b.Bics ?? []))]
            : Defaults;

    /// <summary>Records the configured banks as the stream's first events, unless it exists. Safe on several nodes at once.</summary>
    public async Task EnsureSeededAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.Events.FetchStreamStateAsync(StreamId, ct) is not null) return;
        session.LastModifiedBy = "banks-seed";
        session.SetHeader("recordedBy", "banks-seed");
        session.SetHeader("channel", "system");
        session.Events.StartStream(StreamId, [.. Seed]);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
                                   || e.InnerException is ExistingStreamIdCollisionException
                                       or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            // Another node seeded it first.
        }
    }

    public async Task<PartnerBanks> ReloadAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamId, token: ct);
        var snapshot = new Snapshot(PartnerBanks.Fold(events.Select(e => e.Data)), events.Count == 0 ? 0 : events[^1].Version);
        _current = snapshot;
        return snapshot.Banks;
    }

    public async Task RefreshIfChangedAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var state = await session.Events.FetchStreamStateAsync(StreamId, ct);
        if ((state?.Version ?? 0) != Version) await ReloadAsync(store, ct);
    }
}
