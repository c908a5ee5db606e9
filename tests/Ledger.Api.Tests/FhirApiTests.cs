using System.Net;
using System.Text;
using Alba;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using Salex.Ledger.Api.Features.Enrolling;
using Salex.Ledger.Api.Features.Fhir;
using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Rights the FHIR R4 way, through the real host: every answer, success or error, is parsed with Firely's strict
/// deserializer and validated with the SDK's own validation before anything else is checked.
/// </summary>
public sealed class FhirApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const string DuiSystem = "https://fhir.isss.gob.sv/sid/dui";
    private const string AffiliationSystem = "https://fhir.isss.gob.sv/sid/salex-affiliation";
    private const string Eligibility = "/fhir/r4/CoverageEligibilityRequest";

    private static readonly FhirJsonDeserializer Strict =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    /// <summary>Sends a request and reads the answer as a FHIR resource that parses strictly and validates.</summary>
    private async Task<(HttpStatusCode Status, T Resource)> SendAsync<T>(HttpMethod method, string url,
        string? body = null, string? key = Keys.RightsReader, string contentType = "application/fhir+json")
        where T : R4.Resource
    {
        using var message = new HttpRequestMessage(method, url);
        if (key is not null) message.Headers.Add("X-Api-Key", key);
        if (body is not null) message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body))
            { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType) } };
        using var response = await Host.Server.CreateClient().SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/fhir+json", text);
        var resource = Strict.DeserializeResource(text);
        resource.Validate().ShouldBeEmpty(text);
        return (response.StatusCode, resource.ShouldBeAssignableTo<T>(text)!);
    }

    private Task<(HttpStatusCode Status, T Resource)> AskAsync<T>(string body, string? key = Keys.RightsReader,
        string contentType = "application/fhir+json") where T : R4.Resource =>
        SendAsync<T>(HttpMethod.Post, Eligibility, body, key, contentType);

    private Task<(HttpStatusCode Status, R4.CoverageEligibilityResponse Resource)> AnswerAsync(string body,
        string contentType = "application/fhir+json") =>
        AskAsync<R4.CoverageEligibilityResponse>(body, contentType: contentType);

    private Task<(HttpStatusCode Status, T Resource)> GetAsync<T>(string url, string? key = Keys.RightsReader)
        where T : R4.Resource => SendAsync<T>(HttpMethod.Get, url, key: key);

    private static string Request(string patient, string? servicedDate) => $$$"""
        {"resourceType":"CoverageEligibilityRequest","identifier":[{"system":"urn:hospital:requests","value":"R-1"}],
         "status":"active","purpose":["validation","benefits"],"patient":{{{patient}}},
         {{{(servicedDate is null ? "" : $"\"servicedDate\":\"{servicedDate}\",")}}}
         "created":"2018-03-10T09:00:00-06:00","insurer":{"display":"ISSS"}}
        """;

    private static string ByIdentifier(string system, string value, string? servicedDate) =>
        Request($$$"""{"identifier":{"system":"{{{system}}}","value":"{{{value}}}"}}""", servicedDate);

    private async Task<(string Number, string Dui)> EnrolAsync(object[]? beneficiaries = null)
    {
        var dui = Scenarios.NewDui();
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui, beneficiaries: beneficiaries)).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(201);
        });
        return ((await result.ReadAsJsonAsync<EnrolResponse>())!.AffiliationNumber, dui);
    }

    private static bool? WaitingPeriod(R4.CoverageEligibilityResponse.ItemsComponent item) =>
        (item.Extension.SingleOrDefault(e => e.Url == EligibilityAnswer.WaitingPeriodExtension)?.Value
            as R4.FhirBoolean)?.Value;

    private static R4.OperationOutcome.IssueComponent SingleIssue(R4.OperationOutcome outcome) =>
        outcome.Issue.ShouldHaveSingleItem();

    [Fact]
    public async Task a_person_with_rights_still_in_the_waiting_period_is_in_force_with_restricted_services_excluded()
    {
        var (number, dui) = await EnrolAsync(
        [
            new { fullName = "Luis López", birthDate = "2010-03-15", relationship = "Child" },
            new { fullName = "Rosa Pérez", birthDate = "1987-01-20", relationship = "Spouse" },
        ]);
        await Host.PayAsync(number, "2018-02-20", 55.92m); // 2018-02 on time; 2018-03 not due until 03-28

        var (status, answer) = await AnswerAsync(ByIdentifier(DuiSystem, dui, "2018-03-10"));

        status.ShouldBe(HttpStatusCode.OK);
        answer.Outcome.ShouldBe(R4.ClaimProcessingCodes.Complete);
        answer.Patient.Reference.ShouldBe($"Patient/{number}");
        answer.Serviced.ShouldBeOfType<R4.Date>().Value.ShouldBe("2018-03-10");
        answer.Request.Identifier.Value.ShouldBe("R-1");
        answer.Disposition.ShouldContain("In force on 2018-03-10");
        answer.Disposition.ShouldContain("waiting period until 2018-07-31");
        answer.Insurance.Count.ShouldBe(3); // the insured, the child, the spouse
        var insured = answer.Insurance[0];
        insured.Coverage.Reference.ShouldBe($"Coverage/{number}");
        insured.Inforce.ShouldBe(true);
        insured.BenefitPeriod.Start.ShouldBe("2018-02-01");
        insured.BenefitPeriod.End.ShouldBe("2018-03-31");
        insured.Item[0].Excluded.ShouldBe(false);
        var restricted = insured.Item.Skip(1).ToList();
        restricted.ShouldContain(i => i.Category.Text == "Cancer");
        restricted.ShouldAllBe(i => i.Excluded == true);
        restricted.ShouldAllBe(i => WaitingPeriod(i) == true);
        answer.Insurance.Skip(1).ShouldAllBe(i => i.Inforce == true);
        var coverages = answer.Contained.OfType<R4.Coverage>().ToList();
        coverages.Select(c => c.Relationship.Coding[0].Code).ShouldBe(["child", "spouse"]);
        answer.Contained.OfType<R4.Patient>().Select(p => p.Name[0].Text).ShouldBe(["Luis López", "Rosa Pérez"]);
        answer.Insurance[1].Coverage.Reference.ShouldBe("#" + coverages[0].Id);
    }

    [Fact]
    public async Task after_six_months_with_rights_restricted_services_are_covered_and_the_waiting_period_is_over()
    {
        var (number, _) = await EnrolAsync();
        await Host.PayAsync(number, "2018-02-01", 12 * 55.92m); // 2018-02 .. 2019-01

        var (_, answer) = await AnswerAsync(
            ByIdentifier(AffiliationSystem, number, "2018-09-10"));

        var insured = answer.Insurance.ShouldHaveSingleItem();
        insured.Inforce.ShouldBe(true);
        insured.BenefitPeriod.End.ShouldBe("2019-01-31");
        insured.Item.ShouldAllBe(i => i.Excluded == false);
        insured.Item.Skip(1).ShouldAllBe(i => WaitingPeriod(i) == false);
        answer.Disposition.ShouldContain("restricted services covered");
    }

    [Fact]
    public async Task a_person_in_arrears_is_not_in_force_and_the_answer_agrees_with_the_rights_route()
    {
        var (number, dui) = await EnrolAsync(
            [new { fullName = "Luis López", birthDate = "2010-03-15", relationship = "Child" }]);
        // Nothing paid: 2018-02 was due on 2018-02-28.

        var (status, answer) = await AnswerAsync(ByIdentifier(DuiSystem, dui, "2018-03-10"));

        status.ShouldBe(HttpStatusCode.OK);
        answer.Outcome.ShouldBe(R4.ClaimProcessingCodes.Complete);
        answer.Insurance.ShouldAllBe(i => i.Inforce == false);
        answer.Insurance.SelectMany(i => i.Item).ShouldAllBe(i => i.Excluded == true);
        answer.Disposition.ShouldContain("arrears");
        var rights = await Host.RightsAsync(number, "2018-03-10");
        rights.Status.ShouldBe("Arrears");
        answer.Insurance.Select(i => i.Inforce)
            .ShouldBe([rights.Covered, .. rights.Beneficiaries.Select(b => b.Covered)]);
    }

    [Fact]
    public async Task after_a_lapse_nothing_is_in_force_and_the_waiting_period_is_not_said_to_run()
    {
        var (_, dui) = await EnrolAsync();
        // Nothing paid: 2018-02, -03 and -04 overdue; the episode lapses on 2018-05-01, the day after April's due date.

        var (_, answer) = await AnswerAsync(ByIdentifier(DuiSystem, dui, "2018-05-10"));

        var insured = answer.Insurance.ShouldHaveSingleItem();
        insured.Inforce.ShouldBe(false);
        insured.Item.ShouldAllBe(i => i.Excluded == true);
        insured.Item.ShouldAllBe(i => WaitingPeriod(i) == null);
        answer.Disposition.ShouldContain("the coverage episode has ended");
    }

    [Fact]
    public async Task the_patient_may_be_a_contained_patient_or_a_reference_and_the_date_defaults_to_today()
    {
        Today(2018, 3, 10);
        var (number, dui) = await EnrolAsync();
        await Host.PayAsync(number, "2018-02-20", 55.92m);
        var contained = $$"""
            {"resourceType":"CoverageEligibilityRequest","status":"active","purpose":["validation"],
             "contained":[{"resourceType":"Patient","id":"p1","identifier":[
                {"system":"urn:hospital:mrn","value":"MRN-77"},{"system":"{{DuiSystem}}","value":"{{dui}}"}]}],
             "patient":{"reference":"#p1"},"created":"2018-03-10","insurer":{"display":"ISSS"} }
            """;

        var (status, answer) = await AnswerAsync(contained, contentType: "application/json");
        status.ShouldBe(HttpStatusCode.OK);
        answer.Serviced.ShouldBeOfType<R4.Date>().Value.ShouldBe("2018-03-10");
        answer.Insurance[0].Inforce.ShouldBe(true);
        answer.Purpose.ShouldBe([R4.CoverageEligibilityResponse.EligibilityResponsePurpose.Validation]);

        var (_, byReference) = await AnswerAsync(
            Request($"{{\"reference\":\"Patient/{number}\"}}", "2018-03-10"));
        byReference.Patient.Reference.ShouldBe($"Patient/{number}");
        var (_, noSystem) = await AnswerAsync(Request($$$"""{"identifier":{"value":"{{{dui}}}"}}""", null));
        noSystem.Patient.Reference.ShouldBe($"Patient/{number}");
    }

    [Fact]
    public async Task an_unknown_person_is_a_404_operation_outcome()
    {
        var unknown = ByIdentifier(DuiSystem, Scenarios.NewDui(), "2018-03-10");
        var (status, outcome) = await AskAsync<R4.OperationOutcome>(unknown);
        status.ShouldBe(HttpStatusCode.NotFound);
        SingleIssue(outcome).Code.ShouldBe(R4.OperationOutcome.IssueType.NotFound);

        (await GetAsync<R4.OperationOutcome>("/fhir/r4/Patient/100000017")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync<R4.OperationOutcome>("/fhir/r4/Coverage/100000017")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    private static readonly string Valid = ByIdentifier(DuiSystem, "04567890-3", "2018-03-10");

    public static TheoryData<string, string> BadRequests => new()
    {
        { "not JSON", "{\"resourceType\":\"CoverageEligibilityRequest\"," },
        { "empty", "" },
        { "a JSON array", "[1,2]" },
        { "another resource", """{"resourceType":"Patient","identifier":[{"system":"urn:x","value":"1"}]}""" },
        { "no resource type", """{"patient":{"identifier":{"value":"04567890-3"}}}""" },
        { "an unknown element", Valid.Replace("\"status\"", "\"statuss\"") },
        { "a value of the wrong type", Valid.Replace("\"active\"", "42") },
        { "raw NUL bytes", "{\"resourceType\":\"CoverageEligibilityRequest\",\"status\":\"act\0ive\"}" },
        { "a NUL in the identifier", ByIdentifier(AffiliationSystem, "1000\\u00000017", "2018-03-10") },
        { "a DUI with a wrong check digit", ByIdentifier(DuiSystem, "04567890-4", "2018-03-10") },
        { "an unknown identifier system", ByIdentifier("urn:other:ids", "04567890-3", "2018-03-10") },
        { "no patient", """{"resourceType":"CoverageEligibilityRequest","status":"active"}""" },
        { "a contained patient that is not there", Request("""{"reference":"#nobody"}""", null) },
        { "an impossible date", ByIdentifier(DuiSystem, "04567890-3", "2018-02-30") },
        { "a partial date", ByIdentifier(DuiSystem, "04567890-3", "2018-02") },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task a_bad_request_is_a_400_operation_outcome(string why, string body)
    {
        var (status, outcome) = await AskAsync<R4.OperationOutcome>(body);
        status.ShouldBe(HttpStatusCode.BadRequest, why);
        outcome.Issue.ShouldNotBeEmpty(why);
        outcome.Issue.ShouldAllBe(i => i.Severity == R4.OperationOutcome.IssueSeverity.Error);
    }

    [Fact]
    public async Task an_empty_object_is_told_it_has_no_resource_type()
    {
        var (status, outcome) = await AskAsync<R4.OperationOutcome>("{}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        outcome.Issue.ShouldHaveSingleItem().Diagnostics.ShouldEndWith("it has no resourceType.");
    }

    /// <summary>Values no element should take, written as raw JSON (escapes reach the server as sent).</summary>
    private static readonly string[] Nasty =
    [
        "\"\\u0000\"", "\"AB\\u0000CD\"", "\"\\u202Eevil\"", "\"\\ud800\"", "\"\\uFEFFx\"", "\"\"", "\"   \"", "null",
        "true", "[]", "{}", "[1,2]", "0", "-1", "1e400", "79228162514264337593543950335", "\"9999-12-31\"",
        "\"0001-01-01\"", "\"2018-02-30\"", "\"../../ETC/PASSWD\"", "\"%00\"", $"\"{new string('x', 5000)}\"",
        new string('[', 100) + new string(']', 100), "{\"reference\":\"#p1\"}", "{\"identifier\":{}}",
        "{\"reference\":\"Patient/\"}", "{\"reference\":\"Patient/a/b\"}", "[null]", "[{}]",
        "{\"identifier\":{\"value\":null}}",
    ];

    /// <summary>The template with each @i replaced by its valid value, but the one at the position by a hostile one.
    /// </summary>
    private static string Fill(string template, string[] valid, int position, string value)
    {
        for (var i = valid.Length - 1; i >= 0; i--) // @10 before @1
            template = template.Replace($"@{i}", i == position ? value : valid[i]);
        return template;
    }

    [Fact]
    public async Task hostile_values_in_every_element_of_a_request_never_fail_the_server()
    {
        var (_, dui) = await EnrolAsync();
        const string template = """
            {"resourceType":@0,"identifier":[{"system":@1,"value":@2}],"status":@3,"purpose":[@4],"patient":@5,
             "servicedDate":@6,"contained":[{"resourceType":"Patient","id":@7,"identifier":[{"system":@8,"value":@9}]}],
             "created":@10}
            """;
        string[] valid = ["\"CoverageEligibilityRequest\"", "\"urn:h\"", "\"R-1\"", "\"active\"", "\"validation\"",
            "{\"reference\":\"#p1\"}", "\"2018-03-10\"", "\"p1\"", $"\"{DuiSystem}\"", $"\"{dui}\"", "\"2018-03-10\""];
        (await AnswerAsync(Fill(template, valid, -1, ""))).Status.ShouldBe(HttpStatusCode.OK);
        var failures = new List<string>();
        for (var position = 0; position < valid.Length; position++)
        foreach (var value in Nasty)
        {
            var body = Fill(template, valid, position, value);
            var (status, resource) = await AskAsync<R4.Resource>(body);
            if ((int)status >= 500 || status == HttpStatusCode.OK != resource is R4.CoverageEligibilityResponse)
                failures.Add($"{status} {resource.TypeName} for {body[..Math.Min(body.Length, 300)]}");
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_huge_body_is_413_and_another_media_type_415_both_operation_outcomes()
    {
        var huge = ByIdentifier(DuiSystem, "04567890-3", "2018-03-10")
            .Replace("\"R-1\"", $"\"{new string('x', (int)Limits.JsonBodyBytes)}\"");
        var (status, outcome) = await AskAsync<R4.OperationOutcome>(huge);
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        SingleIssue(outcome).Code.ShouldBe(R4.OperationOutcome.IssueType.TooLong);

        var (media, _) = await AskAsync<R4.OperationOutcome>("CoverageEligibilityRequest", contentType: "text/plain");
        media.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task without_a_key_401_and_with_a_role_that_may_not_read_rights_403_both_operation_outcomes()
    {
        var (number, dui) = await EnrolAsync();
        var body = ByIdentifier(DuiSystem, dui, "2018-03-10");

        var (anonymous, login) = await AskAsync<R4.OperationOutcome>(body, key: null);
        anonymous.ShouldBe(HttpStatusCode.Unauthorized);
        SingleIssue(login).Code.ShouldBe(R4.OperationOutcome.IssueType.Login);
        var (forbidden, outcome) = await AskAsync<R4.OperationOutcome>(body, key: Keys.PolicyAdmin);
        forbidden.ShouldBe(HttpStatusCode.Forbidden);
        SingleIssue(outcome).Code.ShouldBe(R4.OperationOutcome.IssueType.Forbidden);
        (await GetAsync<R4.OperationOutcome>($"/fhir/r4/Patient/{number}", Keys.PolicyAdmin))
            .Status.ShouldBe(HttpStatusCode.Forbidden);
        (await GetAsync<R4.OperationOutcome>($"/fhir/r4/Coverage/{number}", "not-a-key"))
            .Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_hostile_route_value_and_an_unknown_route_are_operation_outcomes_too()
    {
        var (status, outcome) = await GetAsync<R4.OperationOutcome>("/fhir/r4/Patient/1000%07%E2%80%AE17");
        status.ShouldBe(HttpStatusCode.BadRequest);
        SingleIssue(outcome).Expression.ShouldBe(["id"]);
        (await GetAsync<R4.OperationOutcome>("/fhir/r4/Observation/1")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task patient_and_coverage_are_minimal_and_carry_no_contact_data()
    {
        var (number, dui) = await EnrolAsync();

        var (_, patient) = await GetAsync<R4.Patient>($"/fhir/r4/Patient/{number}");
        patient.Id.ShouldBe(number);
        patient.Identifier.Select(i => (i.System, i.Value)).ShouldBe([(DuiSystem, dui), (AffiliationSystem, number)]);
        patient.Name.ShouldHaveSingleItem().Text.ShouldBe("Ana María López");
        patient.BirthDate.ShouldBe("1985-06-02");
        patient.Telecom.ShouldBeEmpty();
        patient.Address.ShouldBeEmpty();
        patient.ToJson().ShouldNotContain("ana@example.com");

        var (_, coverage) = await GetAsync<R4.Coverage>($"/fhir/r4/Coverage/{number}");
        coverage.Id.ShouldBe(number);
        coverage.Beneficiary.Reference.ShouldBe($"Patient/{number}");
        coverage.Relationship.Coding[0].Code.ShouldBe("self");
        coverage.Period.Start.ShouldBe("2018-02-01");
        coverage.Status.ShouldBe(R4.FinancialResourceStatusCodes.Cancelled); // unpaid since 2018: lapsed long ago
    }

    [Fact]
    public async Task the_capability_statement_is_open_and_names_the_routes_and_the_identifier_systems()
    {
        var (status, statement) = await GetAsync<R4.CapabilityStatement>("/fhir/r4/metadata", key: null);
        status.ShouldBe(HttpStatusCode.OK);
        statement.FhirVersion.ShouldBe(R4.FHIRVersion.N4_0_1);
        var rest = statement.Rest.ShouldHaveSingleItem();
        rest.Resource.Select(r => r.Type).ShouldBe(["Patient", "Coverage", "CoverageEligibilityRequest"]);
        rest.Documentation.ShouldContain(DuiSystem);
    }
}
