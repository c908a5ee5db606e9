namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record BeneficiaryRequest(string? FullName, string? BirthDate, string? Relationship);
