using Marten;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Api.Features.Rates;

/// <summary>
/// The rate schedule as recorded on the policy stream, held in memory so a decision costs no extra round trip.
/// The node that adds a row reloads at once; the others see it within <c>Regime:RatesRefreshSeconds</c> (30 by
/// default), when a background check of the stream's version finds it moved. <see cref="Regime"/> is resolved
/// on each use from here, so endpoints keep taking a <c>Regime</c> parameter.
/// </summary>
public sealed class RateScheduleCache(Regime configured)
{
    public const string StreamId = "policy-rates";

    private volatile Snapshot _current = new(configured, 0);

    private sealed record Snapshot(Regime Regime, long Version);

    /// <summary>The regime of the configuration with the schedule recorded on the policy stream.</summary>
    public Regime Regime => _current.Regime;

    public long Version => _current.Version;

    /// <summary>The rows the ledger starts with (configuration <c>Regime:Rates</c>, by default the two known
    /// rows).</summary>
    public RateSchedule Seed => configured.Rates;

    /// <summary>Records the configured rows as the policy stream's first events, unless it exists.</summary>
    public Task EnsureSeededAsync(IDocumentStore store, CancellationToken ct) =>
        PolicyStreams.EnsureSeededAsync(
            store,
            StreamId,
            "rates-seed",
            Seed.Rows.Select(r => (object)new RateAdded(r.FirstPeriod, r.MinimumWage)),
            ct
        );

    /// <summary>Reads the policy stream and replaces the cached schedule (the configured one while the stream is
    /// empty).</summary>
    public async Task<Regime> ReloadAsync(IDocumentStore store, CancellationToken ct) =>
        (await ReloadPolicyAsync(store, ct)).Regime;

    /// <summary>As <see cref="ReloadAsync"/>, also answering the folded policy stream (rows and proposals) and its
    /// version.</summary>
    public async Task<(Regime Regime, RatePolicyState Policy, long Version)> ReloadPolicyAsync(
        IDocumentStore store,
        CancellationToken ct
    )
    {
        var (events, version) = await PolicyStreams.ReadAsync(store, StreamId, ct);
        var policy = RatePolicy.Fold(events);
        var snapshot = new Snapshot(configured with { Rates = policy.Schedule ?? Seed }, version);
        _current = snapshot;
        return (snapshot.Regime, policy, snapshot.Version);
    }

    /// <summary>Reloads only if the stream's version moved since the last load: one small query.</summary>
    public async Task RefreshIfChangedAsync(IDocumentStore store, CancellationToken ct)
    {
        if (await PolicyStreams.VersionAsync(store, StreamId, ct) != Version)
            await ReloadAsync(store, ct);
    }
}
