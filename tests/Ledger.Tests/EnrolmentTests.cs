using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Enrolment;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;
using EnrolmentRules = Salex.Ledger.Enrolment.Enrolment;

namespace Salex.Ledger.Tests;

public class EnrolmentTests
{
    private static readonly LocalDate Today = D(2018, 1, 10);

    private static Enrol Valid() => new(
        "04567890-3", "Ana María López", D(1985, 6, 2), "US", "ana@example.com",
        D(2018, 1, 10), null, new EligibilityChecks(true, true, true), []);

    private static IReadOnlyList<Refusal> Check(Enrol command, Account? existing = null) =>
        EnrolmentRules.Check(command, existing, Today, Regime.Default);

    private static Refusal SingleRefusal(Enrol command, string field)
    {
        var refusal = Check(command).ShouldHaveSingleItem();
        refusal.Field.ShouldBe(field);
        return refusal;
    }

    private static Beneficiary Child(LocalDate birth) => new(Guid.NewGuid(), "Luis López", birth, Relationship.Child);
    private static Beneficiary Spouse(string name = "Rosa Pérez") => new(Guid.NewGuid(), name, D(1987, 1, 20), Relationship.Spouse);

    [Fact]
    public void a_valid_enrolment_has_no_refusals_and_starts_the_month_after() 
    {
        Check(Valid()).ShouldBeEmpty();
        EnrolmentRules.FirstPeriodOf(Valid()).ShouldBe(P(2018, 2));
    }

    [Fact]
    public void decide_records_the_enrolment_with_the_default_first_period()
    {
        var command = Valid() with { FullName = "  Ana María López ", CountryOfResidence = " us ", Email = "  " };
        var enrolled = EnrolmentRules.Enrolled(command, "100000017");
        enrolled.AffiliationNumber.ShouldBe("100000017");
        enrolled.FirstPeriod.ShouldBe(P(2018, 2));
        enrolled.FullName.ShouldBe("Ana María López");
        enrolled.CountryOfResidence.ShouldBe("US");
        enrolled.Email.ShouldBeNull();
        enrolled.EnrolledOn.ShouldBe(D(2018, 1, 10));
    }

    [Fact]
    public void an_explicit_first_period_is_kept()
    {
        var command = Valid() with { FirstPeriod = P(2018, 3) };
        Check(command).ShouldBeEmpty();
        EnrolmentRules.Enrolled(command, "100000017").FirstPeriod.ShouldBe(P(2018, 3));
    }

    // Enrolment date 2018-01-10.
    [Theory]
    [InlineData(1957, 1, 9, false)]  // turned 61 the day before enrolment
    [InlineData(1957, 1, 10, false)] // turns 61 on the enrolment date
    [InlineData(1957, 1, 11, true)]  // 60, the day before the 61st birthday
    [InlineData(1985, 6, 2, true)]
    [InlineData(2000, 1, 10, true)]  // 18th birthday exactly on the enrolment date
    [InlineData(2000, 1, 11, false)] // still 17
    public void the_insured_must_be_eighteen_to_sixty_on_the_enrolment_date(int y, int m, int d, bool accepted)
    {
        var refusals = Check(Valid() with { BirthDate = D(y, m, d) });
        if (accepted) refusals.ShouldBeEmpty();
        else
        {
            var refusal = refusals.ShouldHaveSingleItem();
            refusal.Field.ShouldBe("birthDate");
            refusal.Kind.ShouldBe(RefusalKind.Invalid);
        }
    }

    [Fact]
    public void a_birth_date_on_or_after_the_enrolment_date_is_refused() =>
        SingleRefusal(Valid() with { BirthDate = D(2018, 1, 10) }, "birthDate");

    [Theory]
    [InlineData("")]
    [InlineData("045678903")]
    [InlineData("04567890-33")]
    [InlineData("4567890-3")]
    [InlineData("0456789A-3")]
    public void a_dui_with_a_bad_format_is_refused(string dui) =>
        SingleRefusal(Valid() with { Dui = dui }, "dui").Kind.ShouldBe(RefusalKind.Invalid);

    [Fact]
    public void a_dui_with_a_bad_check_digit_is_refused() =>
        // 04567890: 0·9+4·8+5·7+6·6+7·5+8·4+9·3+0·2 = 197 → (10 − 7) mod 10 = 3, so 4 is wrong
        SingleRefusal(Valid() with { Dui = "04567890-4" }, "dui").Kind.ShouldBe(RefusalKind.Invalid);

    [Theory]
    [InlineData(false, true, true, "eligibilityChecks.identityVerified")]
    [InlineData(true, false, true, "eligibilityChecks.residesAbroad")]
    [InlineData(true, true, false, "eligibilityChecks.notInsuredElsewhere")]
    public void each_failed_eligibility_check_names_its_field(bool identity, bool abroad, bool notElsewhere, string field) =>
        SingleRefusal(Valid() with { EligibilityChecks = new EligibilityChecks(identity, abroad, notElsewhere) }, field)
            .Kind.ShouldBe(RefusalKind.Invalid);

    [Fact]
    public void all_failed_eligibility_checks_are_reported_together() =>
        Check(Valid() with { EligibilityChecks = new EligibilityChecks(false, false, false) }).Select(r => r.Field).ShouldBe([
            "eligibilityChecks.identityVerified", "eligibilityChecks.residesAbroad", "eligibilityChecks.notInsuredElsewhere",
        ], ignoreOrder: true);

    [Theory]
    [InlineData("SV")]
    [InlineData(" sv ")]
    [InlineData("SLV")]
    [InlineData("El Salvador")]
    [InlineData("S\u200bV")]
    [InlineData("\uff33\uff36")] // full-width ＳＶ
    public void residing_in_el_salvador_is_refused_however_it_is_spelled(string country) =>
        SingleRefusal(Valid() with { CountryOfResidence = country }, "countryOfResidence")
            .Reason.ShouldContain("cannot be El Salvador");

    [Theory]
    [InlineData("XX")]
    [InlineData("USA")]
    [InlineData("U")]
    [InlineData("United States")]
    [InlineData("\uff35\uff33")] // full-width ＵＳ: only the ASCII code is a code
    public void a_country_that_is_not_an_iso_3166_code_is_refused(string country) =>
        SingleRefusal(Valid() with { CountryOfResidence = country }, "countryOfResidence")
            .Reason.ShouldContain("not an ISO 3166-1 alpha-2");

    [Theory]
    [InlineData("es", "ES")]
    [InlineData(" it ", "IT")]
    [InlineData("AU", "AU")]
    public void an_assigned_code_is_stored_in_upper_case(string country, string stored)
    {
        Check(Valid() with { CountryOfResidence = country }).ShouldBeEmpty();
        Salex.Ledger.Enrolment.Enrolment.Enrolled(Valid() with { CountryOfResidence = country }, "100000017").CountryOfResidence.ShouldBe(stored);
    }

    [Fact]
    public void a_missing_country_is_refused() =>
        SingleRefusal(Valid() with { CountryOfResidence = " " }, "countryOfResidence");

    [Fact]
    public void a_missing_name_is_refused() =>
        SingleRefusal(Valid() with { FullName = "  " }, "fullName");

    [Fact]
    public void an_enrolment_dated_in_the_future_is_refused() =>
        // today 2018-01-10
        SingleRefusal(Valid() with { EnrolledOn = D(2018, 1, 11) }, "enrolledOn");

    [Fact]
    public void a_first_period_before_the_enrolment_month_is_refused() =>
        SingleRefusal(Valid() with { FirstPeriod = P(2017, 12) }, "firstPeriod");

    [Fact]
    public void the_enrolment_month_itself_may_be_the_first_period() =>
        Check(Valid() with { FirstPeriod = P(2018, 1) }).ShouldBeEmpty();

    [Fact]
    public void the_first_period_may_be_at_most_three_months_after_the_enrolment_month()
    {
        Check(Valid() with { FirstPeriod = P(2018, 4) }).ShouldBeEmpty();
        SingleRefusal(Valid() with { FirstPeriod = P(2018, 5) }, "firstPeriod");
    }

    [Fact]
    public void a_first_period_before_the_rate_schedule_is_refused()
    {
        // The schedule starts at 2017-10; enrolled 2017-08-10 with first period 2017-09.
        var command = Valid() with { EnrolledOn = D(2017, 8, 10), FirstPeriod = P(2017, 9) };
        SingleRefusal(command, "firstPeriod");
    }

    [Fact]
    public void one_spouse_and_children_under_twelve_are_accepted() =>
        Check(Valid() with { Beneficiaries = [Spouse(), Child(D(2010, 3, 15)), Child(D(2017, 12, 1))] }).ShouldBeEmpty();

    [Fact]
    public void a_second_spouse_is_refused() =>
        SingleRefusal(Valid() with { Beneficiaries = [Spouse(), Spouse("Carmen Ruiz")] }, "beneficiaries[1].relationship");

    [Fact]
    public void a_child_already_twelve_is_refused() =>
        // born 2006-01-10: 12th birthday on the enrolment date 2018-01-10
        SingleRefusal(Valid() with { Beneficiaries = [Spouse(), Child(D(2006, 1, 10))] }, "beneficiaries[1].birthDate");

    [Fact]
    public void a_child_whose_twelfth_birthday_is_the_day_after_enrolment_is_accepted() =>
        Check(Valid() with { Beneficiaries = [Child(D(2006, 1, 11))] }).ShouldBeEmpty();

    [Fact]
    public void a_child_born_after_the_enrolment_date_is_refused() =>
        SingleRefusal(Valid() with { Beneficiaries = [Child(D(2018, 1, 11))] }, "beneficiaries[0].birthDate");

    [Fact]
    public void a_beneficiary_without_a_name_is_refused() =>
        SingleRefusal(Valid() with { Beneficiaries = [new Beneficiary(Guid.NewGuid(), "", D(2010, 3, 15), Relationship.Child)] },
            "beneficiaries[0].fullName");

    [Fact]
    public void an_existing_account_is_a_conflict()
    {
        var existing = NewAccount(Enrolled(D(2018, 1, 10), P(2018, 2)));
        var refusal = Check(Valid(), existing).ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Conflict);
        refusal.Field.ShouldBe("dui");
    }

    [Fact]
    public void an_invalid_command_for_an_existing_account_reports_the_invalid_fields_not_the_conflict()
    {
        var existing = NewAccount(Enrolled(D(2018, 1, 10), P(2018, 2)));
        var refusal = Check(Valid() with { FullName = "" }, existing).ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("fullName");
    }
}
