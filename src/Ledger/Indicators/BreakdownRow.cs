namespace Salex.Ledger.Indicators;

/// <summary>One value of a breakdown (a sex, an age band, a country): insured enrolled at the period's end, and
/// insured who paid at least one period during it.</summary>
public sealed record BreakdownRow(string Key, int Enrolled, int Contributors);
