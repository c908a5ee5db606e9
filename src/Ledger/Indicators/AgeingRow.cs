namespace Salex.Ledger.Indicators;

/// <summary>
/// One band of the arrears ageing: insured in arrears at the period's end whose oldest overdue period is that many
/// days late, with what they owe then (contributions and surcharges); the band <c>lapsed</c> counts the episodes
/// that lapsed for non-payment during the period (what they owed is no longer owed: the regime is voluntary).
/// </summary>
public sealed record AgeingRow(string Band, int Persons, decimal Owed);
