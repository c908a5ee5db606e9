namespace Salex.Ledger.Banks;

/// <summary>
/// A partner bank may now bring money to the ledger, under <see cref="Code"/> (its code in CSV files and the
/// payments API). <see cref="Bics"/> are the BICs its camt.053 statements may name instead of the code.
/// </summary>
public sealed record PartnerBankRegistered(string Code, string Name, IReadOnlyList<string> Bics);
