using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>A period as some account paid it, at the base it was paid at: what tells whether a rate row priced a
/// payment (<see cref="RatePolicy"/>).</summary>
public sealed record PaidPrice(YearMonth Period, decimal Base);
