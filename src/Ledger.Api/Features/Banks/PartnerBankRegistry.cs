using Marten;
using Microsoft.Extensions.Options;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Banks;

namespace Salex.Ledger.Api.Features.Banks;

/// <summary>
/// The partner banks as recorded on the <c>partner-banks</c> stream, held in memory so that checking a payment's
/// bank costs no round trip. Seeded at first start from <c>Ledger:PartnerBanks</c>; refreshed like the rate
/// schedule (the node that registers a bank reloads at once, the others within <c>Regime:RatesRefreshSeconds</c>).
/// </summary>
public sealed class PartnerBankRegistry(IOptions<LedgerSettings> settings)
{
    public const string StreamId = "partner-banks";

    /// <summary>The banks of the SPEC's examples and the benchmark's population, when nothing is configured.</summary>
    private static readonly PartnerBankRegistered[] Defaults =
    [
        new("AGRICOLA", "Banco Agrícola", []),
        new("CUSCATLAN", "Banco Cuscatlán", []),
        new("DAVIVIENDA", "Banco Davivienda", []),
        new("PROMERICA", "Banco Promerica", []),
        new("HIPOTECARIO", "Banco Hipotecario", []),
    ];

    private volatile Snapshot _current = new(PartnerBanks.Empty, 0);

    private sealed record Snapshot(PartnerBanks Banks, long Version);

    public PartnerBanks Banks => _current.Banks;

    public long Version => _current.Version;

    public IReadOnlyList<PartnerBankRegistered> Seed =>
        settings.Value.PartnerBanks is { Length: > 0 } configured
            ?
            [
                .. configured.Select(b => new PartnerBankRegistered(
                    PartnerBanks.Normalize(b.Code!),
                    b.Name!,
                    b.Bics ?? [],
                    [.. (b.Accounts ?? []).Select(PartnerBanks.NormalizeAccount)]
                )),
            ]
            : Defaults;

    /// <summary>Records the configured banks as the stream's first events, unless it exists.</summary>
    public Task EnsureSeededAsync(IDocumentStore store, CancellationToken ct) =>
        PolicyStreams.EnsureSeededAsync(store, StreamId, "banks-seed", Seed, ct);

    public async Task<PartnerBanks> ReloadAsync(IDocumentStore store, CancellationToken ct) =>
        (await ReloadVersionedAsync(store, ct)).Banks;

    /// <summary>
    /// As <see cref="ReloadAsync"/>, also answering the version the banks were read at: a decision appends at that
    /// version, never at <see cref="Version"/>, which a concurrent reload may already have moved past what was checked.
    /// </summary>
    public async Task<(PartnerBanks Banks, long Version)> ReloadVersionedAsync(
        IDocumentStore store,
        CancellationToken ct
    )
    {
        var (events, version) = await PolicyStreams.ReadAsync(store, StreamId, ct);
        var snapshot = new Snapshot(PartnerBanks.Fold(events), version);
        _current = snapshot;
        return (snapshot.Banks, snapshot.Version);
    }

    public async Task RefreshIfChangedAsync(IDocumentStore store, CancellationToken ct)
    {
        if (await PolicyStreams.VersionAsync(store, StreamId, ct) != Version)
            await ReloadAsync(store, ct);
    }
}
