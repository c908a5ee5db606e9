using Alba;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class AccessTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task a_missing_key_is_401_problem_details()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/rights/100000017");
            s.StatusCodeShouldBe(401);
        });
        var problem = await result.ProblemAsync();
        problem.Status.ShouldBe(401);
        problem.Errors!["X-Api-Key"].ShouldHaveSingleItem().ShouldContain("A valid API key is required");
    }

    [Fact]
    public async Task a_wrong_key_is_401()
    {
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/rights/100000017");
            s.WithRequestHeader("X-Api-Key", "not-a-key");
            s.StatusCodeShouldBe(401);
        });
    }

    [Theory]
    [InlineData(Keys.RightsReader, "/api/insured/{0}")]
    [InlineData(Keys.RightsReader, "/api/insured/{0}/arrears")]
    [InlineData(Keys.Enrolment, "/api/insured/{0}/arrears")]
    public async Task a_role_without_the_right_to_read_is_403(string key, string route)
    {
        var number = await Host.EnrolAsync();
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(string.Format(route, number));
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(403);
        });
        var problem = await result.ProblemAsync();
        problem.Status.ShouldBe(403);
        problem.Errors!["X-Api-Key"].ShouldHaveSingleItem().ShouldContain("may not call this route");
    }

    [Fact]
    public async Task a_body_of_another_media_type_is_415_naming_the_content_type()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Text("paidOn=2018-03-05").ToUrl("/api/insured/100000017/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(415);
        });
        var problem = await result.ProblemAsync();
        problem.Errors!["Content-Type"].ShouldHaveSingleItem().ShouldContain("text/plain");
        problem.Detail!.ShouldContain("application/json");
    }

    [Fact]
    public async Task a_method_the_route_does_not_answer_is_405_saying_which_it_answers()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(405);
        });
        (await result.ProblemAsync()).Detail!.ShouldContain("does not answer GET; it answers POST");
    }

    [Theory]
    [InlineData(Keys.Finance)]
    [InlineData(Keys.Auditor)]
    [InlineData(Keys.RightsReader)]
    public async Task only_enrolment_and_admin_may_enrol(string key)
    {
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody()).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(403);
        });
        (await Host.EventCountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(Keys.Enrolment)]
    [InlineData(Keys.Auditor)]
    [InlineData(Keys.RightsReader)]
    public async Task only_finance_and_admin_may_record_payments(string key)
    {
        var number = await Host.EnrolAsync();
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-03-05", 58.72m, "R")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(403);
        });
    }

    [Theory]
    [InlineData(Keys.RightsReader)]
    [InlineData(Keys.Enrolment)]
    [InlineData(Keys.Finance)]
    [InlineData(Keys.Auditor)]
    [InlineData(Keys.Admin)]
    public async Task every_role_may_read_rights(string key)
    {
        var number = await Host.EnrolAsync();
        await Host.Scenario(s =>
        {
            s.Get.Url($"/api/rights/{number}");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(200);
        });
    }

    [Fact]
    public async Task health_and_the_openapi_document_are_open()
    {
        await Host.Scenario(s => { s.Get.Url("/health"); s.StatusCodeShouldBe(200); });
        var result = await Host.Scenario(s => { s.Get.Url("/openapi/v1.json"); s.StatusCodeShouldBe(200); });
        var doc = await result.ReadAsTextAsync();
        doc.ShouldContain("/api/insured/{affiliationNumber}/payments");
        doc.ShouldContain("/api/rights/{affiliationNumber}");
    }
}
