namespace Salex.Ledger.Banks;

/// <summary>
/// A partner bank may now bring money to the ledger, under <see cref="Code"/> (its code in CSV files and the
/// payments API). <see cref="Bics"/> are the BICs its camt.053 statements may name instead of the code;
/// <see cref="Accounts"/> the regime's accounts at the bank (IBAN or the bank's own account id) that its statements
/// are about, which identify the bank when a statement names none.
/// </summary>
public sealed record PartnerBankRegistered(
    string Code,
    string Name,
    IReadOnlyList<string> Bics,
    IReadOnlyList<string>? Accounts = null
);
