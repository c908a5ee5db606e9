namespace Salex.Ledger.Indicators;

/// <summary>How many of a cohort had rights at the end of the month <see cref="Months"/> after their enrolment
/// month, and their share (4 decimals); null while that month has not ended.</summary>
public sealed record RetentionPoint(int Months, int? StillCovered, decimal? Share);
