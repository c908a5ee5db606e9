using System.ComponentModel.DataAnnotations;
using Salex.Ledger.Api.Infrastructure.OpenApi;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public sealed record BeneficiaryRequest(
    string? FullName,
    string? BirthDate,
    [property: AllowedValues("Spouse", "Child")] string? Relationship,
    [property: WireOptional] string? EffectiveOn
);
