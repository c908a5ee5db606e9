namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record EnrolResponse(
    string AffiliationNumber,
    string Dui,
    string FullName,
    string EnrolledOn,
    string FirstPeriod,
    string CoverageStartsOn
);
