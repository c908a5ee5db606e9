using NodaTime;

namespace Salex.Ledger.Enrolment;

/// <summary>The enrolment command, already parsed from its wire form (dates are NodaTime values).</summary>
public sealed record Enrol(
    string Dui,
    string FullName,
    LocalDate BirthDate,
    string CountryOfResidence,
    string? Email,
    LocalDate EnrolledOn,
    YearMonth? FirstPeriod,
    EligibilityChecks EligibilityChecks,
    IReadOnlyList<Beneficiary> Beneficiaries,
    Sex? Sex = null
);
