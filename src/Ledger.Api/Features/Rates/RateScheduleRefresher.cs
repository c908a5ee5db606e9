using Marten;
using Microsoft.Extensions.Options;
using Salex.Ledger.Api.Infrastructure.Settings;

namespace Salex.Ledger.Api.Features.Rates;

/// <summary>
/// Seeds the policy streams (rates, partner banks) at start, loads them, then checks them for changes made on
/// other nodes.
/// </summary>
public sealed class RateScheduleRefresher(
    RateScheduleCache cache,
    Banks.PartnerBankRegistry banks,
    IDocumentStore store,
    IOptions<RegimeSettings> settings,
    ILogger<RateScheduleRefresher> logger
) : BackgroundService
{
    public override async Task StartAsync(CancellationToken ct)
    {
        await cache.EnsureSeededAsync(store, ct);
        await cache.ReloadAsync(store, ct);
        await banks.EnsureSeededAsync(store, ct);
        await banks.ReloadAsync(store, ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(settings.Value.RatesRefreshSeconds);
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cache.RefreshIfChangedAsync(store, stoppingToken);
                await banks.RefreshIfChangedAsync(store, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(
                    e,
                    "Could not refresh the rate schedule; keeping the one loaded at version {Version}",
                    cache.Version
                );
            }
        }
    }
}
