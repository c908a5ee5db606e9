namespace Salex.Ledger.Indicators;

/// <summary>Beneficiaries of one relationship at the period's end: in the family group of an enrolled insured, and
/// with rights (the insured covered, a child under the age limit).</summary>
public sealed record DependantsRow(string Relationship, int Dependants, int Covered);
