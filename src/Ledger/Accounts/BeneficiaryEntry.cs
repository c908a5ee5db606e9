using NodaTime;

namespace Salex.Ledger.Accounts;

/// <summary>A beneficiary and the dates of their membership of the family group.</summary>
public sealed record BeneficiaryEntry(Beneficiary Beneficiary, LocalDate From, LocalDate? Until)
{
    public bool IsMemberOn(LocalDate date) => From <= date && (Until is null || date < Until);
}
