using NodaTime;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

/// <summary>
/// A spouse or partner or a child joins the family group from <see cref="EffectiveOn"/> (today when the request
/// names no date). The beneficiary's id is chosen at the edge, so a retried decision records the same one.
/// </summary>
public sealed record AddBeneficiary(string AffiliationNumber, Beneficiary Beneficiary, LocalDate? EffectiveOn)
    : IAccountCommand;
