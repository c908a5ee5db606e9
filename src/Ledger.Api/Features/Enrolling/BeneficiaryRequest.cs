using System.ComponentModel.DataAnnotations;

namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record BeneficiaryRequest(
    string? FullName,
    string? BirthDate,
    [property: AllowedValues("Spouse", "Child")] string? Relationship
);
