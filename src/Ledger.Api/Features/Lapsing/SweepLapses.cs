namespace Salex.Ledger.Api.Features.Lapsing;

/// <summary>The daily message that records the lapses due (scheduled by Wolverine, durable across restarts).</summary>
/// <param name="Occurrence">The schedule's occurrence this run is for (none when sent by hand).</param>
public sealed record SweepLapses(DateTimeOffset? Occurrence = null);
