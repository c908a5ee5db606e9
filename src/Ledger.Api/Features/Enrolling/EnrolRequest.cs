using Salex.Ledger.Api.Infrastructure.OpenApi;

namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record EnrolRequest(
    string? Dui,
    string? FullName,
    string? BirthDate,
    string? CountryOfResidence,
    [property: WireOptional] string? Email,
    string? EnrolledOn,
    [property: WireOptional] string? FirstPeriod,
    EligibilityChecksRequest? EligibilityChecks,
    [property: WireOptional] List<BeneficiaryRequest>? Beneficiaries,
    [property: WireOptional] string? Sex = null
);
