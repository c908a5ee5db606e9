namespace Salex.Ledger.Banks;

/// <summary>Finance added one of the regime's accounts at a registered bank: statements of that account are that
/// bank's.</summary>
public sealed record PartnerBankAccountAdded(string Code, string Account);
