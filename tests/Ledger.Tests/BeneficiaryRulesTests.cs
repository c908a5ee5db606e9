using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class BeneficiaryRulesTests
{
    private static Beneficiary Child(int y, int m, int d) => new(Guid.NewGuid(), "Luis López", D(y, m, d), Relationship.Child);

    [Fact]
    public void a_child_qualifies_the_day_before_the_twelfth_birthday() =>
        // born 2012-03-15; 12th birthday 2024-03-15
        BeneficiaryRules.Qualifies(Child(2012, 3, 15), D(2024, 3, 14), Rules).ShouldBeTrue();

    [Fact]
    public void a_child_does_not_qualify_on_the_twelfth_birthday() =>
        BeneficiaryRules.Qualifies(Child(2012, 3, 15), D(2024, 3, 15), Rules).ShouldBeFalse();

    [Fact]
    public void a_child_born_on_29_february_stops_qualifying_on_29_february_twelve_years_later()
    {
        // born 2012-02-29; 12th birthday 2024-02-29 (leap year)
        BeneficiaryRules.Qualifies(Child(2012, 2, 29), D(2024, 2, 28), Rules).ShouldBeTrue();
        BeneficiaryRules.Qualifies(Child(2012, 2, 29), D(2024, 2, 29), Rules).ShouldBeFalse();
    }

    [Fact]
    public void a_newborn_qualifies_from_the_birth_date_and_not_before()
    {
        BeneficiaryRules.Qualifies(Child(2024, 3, 15), D(2024, 3, 15), Rules).ShouldBeTrue();
        BeneficiaryRules.Qualifies(Child(2024, 3, 15), D(2024, 3, 14), Rules).ShouldBeFalse();
    }

    [Fact]
    public void a_spouse_qualifies_at_any_age() =>
        BeneficiaryRules.Qualifies(new Beneficiary(Guid.NewGuid(), "Rosa Pérez", D(1950, 1, 20), Relationship.Spouse), D(2024, 3, 10), Rules)
            .ShouldBeTrue();

    [Theory]
    [InlineData(1985, 6, 2, 2018, 1, 10, 32)]
    [InlineData(2000, 1, 10, 2018, 1, 10, 18)] // birthday on the date
    [InlineData(2000, 1, 11, 2018, 1, 10, 17)] // birthday the next day
    [InlineData(1957, 1, 9, 2018, 1, 10, 61)]
    public void age_is_counted_in_whole_years(int by, int bm, int bd, int y, int m, int d, int expected) =>
        BeneficiaryRules.AgeOn(D(by, bm, bd), D(y, m, d)).ShouldBe(expected);
}
