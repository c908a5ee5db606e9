using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using Microsoft.OpenApi;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Shouldly;

namespace Salex.Ledger.Api.Tests.Contract;

/// <summary>
/// The served OpenAPI document holds every operation to what a client generator needs: these checks run over every
/// operation the host serves, so a route added later is held to them too. Each failure names the operation.
/// </summary>
public sealed class OpenApiContractTests(LedgerHost fixture) : LedgerTest(fixture)
{
    // Routes that need no key (README "API"); any other operation without the API-key requirement fails.
    private static readonly HashSet<string> Open = ["getHealth", "getFhirCapabilities"];

    // POSTs that take no body: the command is the route itself.
    private static readonly HashSet<string> Bodiless = ["recordLedgerDigest", "runLapseSweep", "runRightsSweep", "approveRateChange"];

    private static IEnumerable<(string Path, HttpMethod Method, OpenApiOperation Operation)> Operations(OpenApiDocument d) =>
        from path in d.Paths
        from op in path.Value.Operations ?? []
        select (path.Key, op.Key, op.Value);

    private static bool IsFhir(string path) => path.StartsWith("/fhir/", StringComparison.Ordinal);

    [Fact]
    public async Task every_operation_carries_what_a_generated_client_needs()
    {
        var document = ServedDocument.Read(await ServedDocument.TextAsync(Host));
        var check = new SchemaCheck(document);
        var problems = new List<string>();
        var ids = new HashSet<string>();
        var tags = (document.Tags ?? new HashSet<OpenApiTag>()).ToDictionary(t => t.Name!, t => t.Description);
        var operations = Operations(document).ToList();
        operations.Count.ShouldBeGreaterThan(40);

        foreach (var (path, method, op) in operations)
        {
            var name = $"{method} {path} ({op.OperationId ?? "no operationId"})";
            void Fail(string what) => problems.Add($"{name}: {what}");

            if (op.OperationId is not { } id || !Regex.IsMatch(id, "^[a-z][A-Za-z0-9]+$") || id.Contains('_'))
                Fail("an operationId in camelCase is required");
            else if (!ids.Add(id))
                Fail("the operationId is not unique");
            if (string.IsNullOrWhiteSpace(op.Summary) || op.Summary == op.OperationId || op.Summary.Contains('_'))
                Fail("a summary is required");
            if (op.Description?.Contains(path.TrimStart('/').Split('/')[0] + "_") == true || op.Description?.Contains("GET_") == true)
                Fail("the description is Wolverine's route-derived id");
            var opTags = op.Tags?.Select(t => t.Name).ToList() ?? [];
            if (opTags.Count != 1)
                Fail("exactly one tag is required");
            foreach (var tag in opTags)
                if (tag is null || !tags.TryGetValue(tag, out var description) || string.IsNullOrWhiteSpace(description))
                    Fail($"the tag '{tag}' is not one of the document's tags with a description (ApiAreas)");

            var needsBody = (method == HttpMethod.Post || method == HttpMethod.Put) && !Bodiless.Contains(op.OperationId ?? "");
            if (needsBody)
            {
                if (op.RequestBody?.Content is not { Count: > 0 } content)
                    Fail("a request body is required");
                else
                    foreach (var (type, media) in content)
                    {
                        if (media.Schema is null)
                            Fail($"the request body {type} has no schema");
                        if (type.Contains("json"))
                        {
                            if (media.Example is null)
                                Fail($"the request body {type} has no example");
                            else
                                problems.AddRange(check.Check(media.Example, media.Schema, $"{name} request example"));
                        }
                    }
            }

            var responses = op.Responses ?? new OpenApiResponses();
            var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
            if (successes.Count == 0)
                Fail("a success response is required");
            foreach (var (code, response) in successes.Where(r => r.Key != "204"))
            {
                if (response.Content is not { Count: > 0 } content || content.Values.Any(m => m.Schema is null))
                    Fail($"the {code} answer has no schema");
                foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    if (media.Schema is OpenApiSchemaReference { Reference.Id: "IResult" })
                        Fail($"the {code} answer is IResult");
                    if (!type.Contains("json"))
                        continue;
                    if (media.Example is null)
                        Fail($"the {code} {type} answer has no example");
                    else
                        problems.AddRange(check.Check(media.Example, media.Schema, $"{name} {code} example"));
                }
            }

            var errors = responses.Where(r => r.Key[0] is '4' or '5').ToList();
            if (!errors.Any(e => e.Key.StartsWith('4')))
                Fail("no 4xx answer is documented");
            var errorType = IsFhir(path) ? "application/fhir+json" : "application/problem+json";
            foreach (var (code, response) in errors)
            {
                // The health check answers its own report when the database is down (README "API"), not a problem.
                if (path == "/health" && code == "503")
                    continue;
                var content = response.Content ?? new Dictionary<string, OpenApiMediaType>();
                if (content.Count != 1 || !content.ContainsKey(errorType))
                    Fail($"the {code} answer must be {errorType} only, not [{string.Join(", ", content.Keys)}]");
                else if (!IsFhir(path) && content[errorType].Schema is not OpenApiSchemaReference { Reference.Id: "ProblemDetails" })
                    Fail($"the {code} answer's schema must be ProblemDetails");
                else if (content[errorType].Example is null)
                    Fail($"the {code} answer has no example");
            }
            if (!responses.ContainsKey("400"))
                Fail("400 (the input guard checks every route and query value) is not documented");
            if (!responses.ContainsKey("503"))
                Fail("503 (database unreachable) is not documented");

            var secured = op.Security?.Any(r => r.Keys.Any(k => k.Reference?.Id == LedgerDocumentTransformer.ApiKeyScheme)) == true;
            if (Open.Contains(op.OperationId ?? ""))
            {
                if (secured)
                    Fail("this route is open and must not require an API key");
            }
            else
            {
                if (!secured)
                    Fail("the API-key security requirement is missing");
                if (!responses.ContainsKey("401") || !responses.ContainsKey("403"))
                    Fail("401 and 403 must be documented where a key is needed");
            }
        }
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public async Task money_is_decimal_with_two_places_and_no_framework_types_leak()
    {
        var json = await ServedDocument.TextAsync(Host);
        var document = ServedDocument.Read(json);
        var schemes = document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>();
        schemes.ShouldContainKey(LedgerDocumentTransformer.ApiKeyScheme);
        var scheme = schemes[LedgerDocumentTransformer.ApiKeyScheme];
        scheme.Type.ShouldBe(SecuritySchemeType.ApiKey);
        scheme.In.ShouldBe(ParameterLocation.Header);
        scheme.Name.ShouldBe("X-Api-Key");

        var problems = new List<string>();
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        string[] framework = ["IResult", "LocalDate", "Instant", "YearMonth", "OffsetDateTime", "ZonedDateTime", "HttpValidationProblemDetails"];
        foreach (var leaked in framework.Where(schemas.ContainsKey))
            problems.Add($"the schema {leaked} is in the document");
        foreach (var (schemaName, schema) in schemas)
        foreach (var (property, value) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            var where = $"{schemaName}.{property}";
            if (value.Format == "double" || value.Format == "float")
                problems.Add($"{where}: format {value.Format} (money and rates are decimal)");
            if (value.Format == "decimal")
            {
                if (value.Type is not { } t || !t.HasFlag(JsonSchemaType.Number))
                    problems.Add($"{where}: decimal without type number");
                var rate = property.Contains("rate", StringComparison.OrdinalIgnoreCase);
                if (!rate && value.MultipleOf != 0.01m)
                    problems.Add($"{where}: money without multipleOf 0.01");
            }
            if (value.Type is null && value is not OpenApiSchemaReference && value.Properties is not { Count: > 0 }
                && value.AnyOf is null && value.OneOf is null && schemaName != "HistoryEntry")
                problems.Add($"{where}: no type");
        }
        // No "double" anywhere, not even in parameters.
        json.ShouldNotContain("\"format\": \"double\"");
        json.ShouldNotContain("\"IResult\"");
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public async Task answers_the_host_serves_fit_the_schemas_the_document_declares()
    {
        var document = ServedDocument.Read(await ServedDocument.TextAsync(Host));
        var check = new SchemaCheck(document);
        var number = await Host.EnrolAsync(
            enrolledOn: "2018-01-10",
            beneficiaries: [new { fullName = "Sofía López", birthDate = "2015-09-14", relationship = "Child" }]
        );
        await Host.PayAsync(number, "2018-03-05", 58.72m);
        await Host.PayAsync(number, "2018-04-20", 30m); // less than a period: kept as credit

        var problems = new List<string>();
        async Task Fits(string url, string path, string key = Keys.Admin)
        {
            var result = await Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.WithRequestHeader("X-Api-Key", key);
                s.StatusCodeShouldBeOk();
            });
            var answer = JsonNode.Parse(await result.ReadAsTextAsync());
            var schema = document.Paths[path].Operations![HttpMethod.Get].Responses!["200"].Content!["application/json"].Schema;
            problems.AddRange(check.Check(answer, schema, url));
        }

        await Fits($"/api/insured/{number}", "/api/insured/{affiliationNumber}");
        await Fits($"/api/insured/{number}/arrears?on=2018-05-20", "/api/insured/{affiliationNumber}/arrears");
        await Fits($"/api/rights/{number}?on=2018-03-10", "/api/rights/{affiliationNumber}");
        await Fits($"/api/insured/{number}/history", "/api/insured/{affiliationNumber}/history");
        await Fits($"/api/insured/{number}/state?version=2", "/api/insured/{affiliationNumber}/state");
        await Fits("/api/rates", "/api/rates");
        await Fits("/api/banks", "/api/banks");
        await Fits("/api/reserve", "/api/reserve");
        await Fits("/api/reconciliation?from=2018-03-01&to=2018-03-31", "/api/reconciliation");
        await Fits("/api/reconciliation/totals?from=2018-03-01&to=2018-03-31", "/api/reconciliation/totals");
        await Fits("/api/rates/proposals", "/api/rates/proposals");

        var payment = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-05-05", 58.72m, "contract-1")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(201);
        });
        var paymentSchema = document.Paths["/api/insured/{affiliationNumber}/payments"].Operations![HttpMethod.Post]
            .Responses!["201"].Content!["application/json"].Schema;
        problems.AddRange(check.Check(JsonNode.Parse(await payment.ReadAsTextAsync()), paymentSchema, "recordPayment"));

        // A malformed value answers 400 with problem details, and the operation declares that answer.
        async Task RefusedAsDeclared(HttpMethod method, string url, string path, string key, object? body = null)
        {
            var refused = await Host.Scenario(s =>
            {
                if (body is null)
                    s.Get.Url(url);
                else
                    s.Post.Json(body).ToUrl(url);
                s.WithRequestHeader("X-Api-Key", key);
                s.StatusCodeShouldBe(400);
            });
            refused.Context.Response.ContentType.ShouldStartWith("application/problem+json");
            var declared = document.Paths[path].Operations![method].Responses!;
            if (!declared.TryGetValue("400", out var answer))
                problems.Add($"{method} {path} answers 400 to {url} but does not declare it");
            else
                problems.AddRange(
                    check.Check(
                        JsonNode.Parse(await refused.ReadAsTextAsync()),
                        answer.Content![ContractDescriptionProvider.ProblemJson].Schema,
                        $"400 of {url}"
                    )
                );
        }

        await RefusedAsDeclared(
            HttpMethod.Post,
            $"/api/insured/{number}/payments",
            "/api/insured/{affiliationNumber}/payments",
            Keys.Finance,
            new { paidOn = "2018-13-45" }
        );
        await RefusedAsDeclared(HttpMethod.Get, "/api/digests/2018-13-45", "/api/digests/{date}", Keys.Auditor);
        await RefusedAsDeclared(
            HttpMethod.Get,
            "/api/digests/2018-13-45/signed",
            "/api/digests/{date}/signed",
            Keys.Auditor
        );
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public async Task the_committed_copy_is_what_the_host_serves()
    {
        // The generated client (Client/) is built from the committed copy; if it differs from what the host serves,
        // the client would be built against a contract the server no longer keeps. UPDATE_OPENAPI=1 rewrites it.
        var served = ServedDocument.Canonical(await ServedDocument.TextAsync(Host));
        var path = ServedDocument.CommittedPath;
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(path, served);
        File.Exists(path).ShouldBeTrue($"{path} is missing: run the tests with UPDATE_OPENAPI=1 and commit it");
        var committed = await File.ReadAllTextAsync(path);
        JsonNode.DeepEquals(JsonNode.Parse(committed), JsonNode.Parse(served))
            .ShouldBeTrue($"{path} differs from what /openapi/v1.json serves: run `UPDATE_OPENAPI=1 ./test.sh --filter FullyQualifiedName~the_committed_copy`, rebuild and commit the file");
    }
}
