using Marten;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The service does not start while the event chain is off (<see cref="EventChainGuard"/>: a history load running,
/// or killed before it put the trigger back): it would record payments without their hashes. Registered after
/// Marten's migration (which, where it runs, puts the trigger back) and before Wolverine's runtime and the rate
/// schedule's seeding, the first writers.
/// </summary>
public sealed class EventChainCheck(IDocumentStore store) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => EventChainGuard.EnsureOnAsync(store, ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
