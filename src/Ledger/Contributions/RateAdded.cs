using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>A row of the rate schedule, recorded on the policy stream. A new row supersedes from its first period
/// on.</summary>
public sealed record RateAdded(YearMonth FirstPeriod, decimal MinimumWage);
