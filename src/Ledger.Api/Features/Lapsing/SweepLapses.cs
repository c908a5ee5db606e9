namespace Salex.Ledger.Api.Features.Lapsing;

/// <summary>The daily message that records the lapses due (scheduled by Wolverine, durable across restarts).</summary>
public sealed record SweepLapses;
