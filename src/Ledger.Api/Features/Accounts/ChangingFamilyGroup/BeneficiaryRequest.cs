namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public sealed record BeneficiaryRequest(string? FullName, string? BirthDate, string? Relationship, string? EffectiveOn);
