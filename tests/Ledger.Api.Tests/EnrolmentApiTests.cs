using Alba;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Enrolment;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class EnrolmentApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task enrolment_answers_201_with_a_check_digit_affiliation_number_and_the_account_can_be_read()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");

        AffiliationNumber.IsWellFormed(number).ShouldBeTrue();
        var summary = await Host.SummaryAsync(number);
        summary.AffiliationNumber.ShouldBe(number);
        summary.FirstPeriod.ShouldBe("2018-02"); // default: the month after the enrolment date
        summary.EnrolledOn.ShouldBe("2018-01-10");
        summary.PaidThrough.ShouldBeNull();
    }

    [Fact]
    public async Task affiliation_numbers_are_never_reused()
    {
        var first = await Host.EnrolAsync();
        var second = await Host.EnrolAsync();
        second.ShouldNotBe(first);
    }

    [Fact]
    public async Task an_explicit_first_period_is_kept()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10", firstPeriod: "2018-01");
        (await Host.SummaryAsync(number)).FirstPeriod.ShouldBe("2018-01");
    }

    [Theory]
    [InlineData("04567890-4", "dui")]          // wrong check digit (04567890-3 is right)
    [InlineData("4567890-3", "dui")]           // seven digits
    [InlineData("045678903", "dui")]           // no dash
    public async Task a_bad_dui_is_refused_naming_the_field(string dui, string field)
    {
        var problem = await Refused(Scenarios.EnrolmentBody(dui: dui), 400);
        problem.Errors!.ShouldContainKey(field);
    }

    [Fact]
    public async Task a_person_who_turned_61_the_day_before_enrolment_is_refused()
    {
        // Born 1957-01-09: 61 on 2018-01-09, the day before enrolling on 2018-01-10.
        var problem = await Refused(Scenarios.EnrolmentBody(birthDate: "1957-01-09", enrolledOn: "2018-01-10"), 400);
        problem.Errors!.ShouldContainKey("birthDate");
    }

    [Fact]
    public async Task a_person_of_60_the_day_before_their_61st_birthday_may_enrol()
    {
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(birthDate: "1957-01-11", enrolledOn: "2018-01-10")).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(201);
        });
    }

    [Fact]
    public async Task a_failed_eligibility_check_is_refused_naming_the_check()
    {
        var problem = await Refused(Scenarios.EnrolmentBody(residesAbroad: false), 400);
        problem.Errors!.ShouldContainKey("eligibilityChecks.residesAbroad");
    }

    [Fact]
    public async Task missing_name_and_dates_are_each_named()
    {
        var problem = await Refused(new { dui = Scenarios.NewDui(), countryOfResidence = "US",
            eligibilityChecks = new { identityVerified = true, residesAbroad = true, notInsuredElsewhere = true } }, 400);
        problem.Errors!.Keys.ShouldBe(["birthDate", "enrolledOn"], ignoreOrder: true);
    }

    [Fact]
    public async Task a_missing_name_is_named()
    {
        var body = new { dui = Scenarios.NewDui(), birthDate = "1985-06-02", enrolledOn = "2018-01-10", countryOfResidence = "US",
            eligibilityChecks = new { identityVerified = true, residesAbroad = true, notInsuredElsewhere = true } };
        var problem = await Refused(body, 400);
        problem.Errors!.ShouldContainKey("fullName");
    }

    [Fact]
    public async Task a_second_open_enrolment_for_the_same_dui_is_a_conflict()
    {
        var dui = Scenarios.NewDui();
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui)).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(201);
        });
        var problem = await Refused(Scenarios.EnrolmentBody(dui: dui), 409);
        problem.Errors!.ShouldContainKey("dui");
    }

    [Fact]
    public async Task a_second_spouse_and_a_child_already_12_are_refused()
    {
        var problem = await Refused(Scenarios.EnrolmentBody(enrolledOn: "2018-01-10", beneficiaries:
        [
            new { fullName = "Rosa Pérez", birthDate = "1987-01-20", relationship = "Spouse" },
            new { fullName = "Otra Pérez", birthDate = "1988-01-20", relationship = "Spouse" },
            new { fullName = "Luis López", birthDate = "2006-01-10", relationship = "Child" }, // 12 on 2018-01-10
        ]), 400);
        problem.Errors!.ShouldContainKey("beneficiaries[1].relationship");
        problem.Errors!.ShouldContainKey("beneficiaries[2].birthDate");
    }

    [Fact]
    public async Task malformed_json_is_a_400_problem_and_records_nothing()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Text("{ \"dui\": ").ToUrl("/api/insured");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors!.ShouldContainKey("body");
        (await Host.EventCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task a_wrong_type_is_a_400_naming_the_field()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Text("""{ "dui": "04567890-3", "eligibilityChecks": { "identityVerified": "yes" } }""").ToUrl("/api/insured");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors!.ShouldContainKey("eligibilityChecks.identityVerified");
    }

    [Fact]
    public async Task an_unknown_relationship_is_a_400_naming_the_field()
    {
        var problem = await Refused(Scenarios.EnrolmentBody(beneficiaries: [new { fullName = "X", birthDate = "2015-01-01", relationship = "Cousin" }]), 400);
        problem.Errors!.ShouldContainKey("beneficiaries[0].relationship");
    }

    [Fact]
    public async Task an_enrolment_dated_in_the_future_is_refused()
    {
        Today(2026, 11, 23);
        var problem = await Refused(Scenarios.EnrolmentBody(enrolledOn: "2026-11-24"), 400);
        problem.Errors!.ShouldContainKey("enrolledOn");
    }

    private async Task<ProblemBody> Refused(object body, int status)
    {
        var before = await Host.EventCountAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(status);
        });
        (await Host.EventCountAsync()).ShouldBe(before); // a refusal records nothing
        return await result.ProblemAsync();
    }
}
