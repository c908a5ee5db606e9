using NodaTime;

namespace Salex.Ledger.Rights;

public static class BeneficiaryRules
{
    /// <summary>Age in whole years on a date.</summary>
    public static int AgeOn(LocalDate birthDate, LocalDate date) =>
        Period.Between(birthDate, date, PeriodUnits.Years).Years;

    /// <summary>
    /// A beneficiary has rights exactly when the insured has, and only while they qualify:
    /// a child until the day before the birthday of the age limit.
    /// </summary>
    public static bool Qualifies(Beneficiary beneficiary, LocalDate date, RegimeRules rules) =>
        beneficiary.Relationship switch
        {
            Relationship.Child => beneficiary.BirthDate <= date
                && AgeOn(beneficiary.BirthDate, date) < rules.ChildAgeLimit,
            _ => true,
        };
}
