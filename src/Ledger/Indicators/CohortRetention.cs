using NodaTime;

namespace Salex.Ledger.Indicators;

/// <summary>The episodes enrolled in one month, and how many were still covered 3, 6, 12 and 24 months
/// later.</summary>
public sealed record CohortRetention(YearMonth Cohort, int Enrolled, IReadOnlyList<RetentionPoint> After);
