namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record EnrolRequest(
    string? Dui,
    string? FullName,
    string? BirthDate,
    string? CountryOfResidence,
    string? Email,
    string? EnrolledOn,
    string? FirstPeriod,
    EligibilityChecksRequest? EligibilityChecks,
    List<BeneficiaryRequest>? Beneficiaries,
    string? Sex = null
);
