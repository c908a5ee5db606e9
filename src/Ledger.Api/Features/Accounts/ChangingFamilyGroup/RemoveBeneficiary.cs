using NodaTime;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

/// <summary>
/// A beneficiary leaves the family group from <see cref="EffectiveOn"/> (today when the request names no date).
/// </summary>
public sealed record RemoveBeneficiary(string AffiliationNumber, Guid BeneficiaryId, LocalDate? EffectiveOn)
    : IAccountCommand;
