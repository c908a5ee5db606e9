using NodaTime;

namespace Salex.Ledger.Rights;

/// <summary>
/// A person's standing changed: the insured (no beneficiary) or one beneficiary of the family group. A standing is
/// the status of the rights answer (<c>NotCovered</c>, <c>Active</c>, <c>Arrears</c>, <c>Lapsed</c>); a beneficiary
/// holds the insured's status while a member who qualifies, else <c>NotCovered</c>. <see cref="Id"/> is derived from
/// what caused the change (the stream version it was decided at, or the day it took effect by the passage of time),
/// so the same change decided twice has the same id.
/// </summary>
public sealed record RightsChange(
    Guid Id,
    string AffiliationNumber,
    Guid? BeneficiaryId,
    string? BeneficiaryName,
    RightsStatus From,
    RightsStatus To,
    LocalDate EffectiveOn,
    string Cause
);
