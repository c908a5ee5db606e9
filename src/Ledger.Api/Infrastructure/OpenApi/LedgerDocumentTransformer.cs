using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// The document as a whole: what it is and its conventions (money, dates, errors), the API-key scheme, the tags with
/// their descriptions (<see cref="ApiAreas"/>), and an example for every answer that has none yet: problem details
/// per status, made from the schema for the rest (<see cref="SchemaExamples"/>). Runs after every operation and schema
/// transformer, so the examples follow the final schemas.
/// </summary>
public sealed class LedgerDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";

    public const string Conventions = """
        The contribution ledger of SALEX, El Salvador's social-security regime for Salvadorans living abroad.

        **Authentication.** Every operation but the health check, this document and the FHIR capability statement
        needs an API key in the `X-Api-Key` header; each key holds one role, and each operation lists the roles that
        may call it. A missing or unknown key is 401, a role that may not call the route 403.

        **Money** is a JSON number in US dollars with at most two decimals (the ledger writes exactly two: `58.72`,
        `0.00`): `type: number, format: decimal, multipleOf: 0.01`. Read it as a decimal type (C# `decimal`, Java
        `BigDecimal`, a decimal library in JavaScript), never as a binary floating point number, and send it the same
        way. **Dates** are `yyyy-MM-dd` (`format: date`, El Salvador's calendar), **periods** (a month of
        contributions) `yyyy-MM`, **instants** RFC 3339 with an offset (`format: date-time`). Affiliation numbers are
        digits ending in a Luhn check digit; DUIs are `########-#`.

        **Errors** are RFC 9457 problem details (`application/problem+json`) whose `errors` object names each bad field
        and why: 400 a request wrong in itself, 404 an unknown account, 409 a request that contradicts what is recorded,
        422 a valid request the account's coverage cannot take, 413 a body too large, 415 a body of another content type,
        503 (with `Retry-After`) when the database cannot be reached. A refused request records nothing. Under `/fhir/r4`
        the same statuses answer a FHIR `OperationOutcome` (`application/fhir+json`).
        """;

    public Task TransformAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken ct
    )
    {
        document.Info = new OpenApiInfo
        {
            Title = "SALEX contribution ledger",
            Version = "v1",
            Description = Conventions,
            Contact = new OpenApiContact { Name = "ISSS, SALEX contribution ledger team" },
        };
        // Relative: the document is the same wherever it is served (and equal to the committed copy).
        document.Servers = [new OpenApiServer { Url = "/", Description = "the server that serves this document" }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.Header,
            Description =
                "An API key issued to one system, with one role (enrolment, finance, auditor, rights-reader, policy-admin, admin).",
        };
        document.Components.Schemas?.Remove("IResult");

        document.Tags = new HashSet<OpenApiTag>(
            ApiAreas.All.Select(a => new OpenApiTag { Name = a.Name, Description = a.Description })
        );

        foreach (var (path, item) in document.Paths)
        foreach (var (_, operation) in item.Operations ?? [])
        foreach (var (code, response) in operation.Responses ?? [])
        foreach (var (mediaType, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
        {
            // A CSV download is described, not exemplified: its rows are the JSON answer's.
            if (media.Example is not null || mediaType == "text/csv")
                continue;
            var status = int.TryParse(code, out var s) ? s : 0;
            media.Example = (status, mediaType) switch
            {
                (>= 400, ContractDescriptionProvider.FhirJson) => OpenApiExamples.FhirOutcome(status),
                (>= 400, ContractDescriptionProvider.ProblemJson) => OpenApiExamples.Problem(status),
                (_, ContractDescriptionProvider.FhirJson) => FhirAnswer(path),
                _ when path == "/health" => OpenApiExamples.Health(status),
                _ => SchemaExamples.Of(media.Schema, document),
            };
        }
        return Task.CompletedTask;
    }

    private static JsonNode FhirAnswer(string path) =>
        path.Contains("metadata")
            ? new JsonObject
            {
                ["resourceType"] = "CapabilityStatement",
                ["status"] = "active",
                ["kind"] = "instance",
                ["fhirVersion"] = "4.0.1",
            }
        : path.Contains("Patient") ? new JsonObject { ["resourceType"] = "Patient", ["id"] = "100000017" }
        : path.Contains("Coverage/")
            ? new JsonObject
            {
                ["resourceType"] = "Coverage",
                ["id"] = "100000017",
                ["status"] = "active",
            }
        : new JsonObject
        {
            ["resourceType"] = "CoverageEligibilityResponse",
            ["status"] = "active",
            ["purpose"] = new JsonArray("validation"),
            ["outcome"] = "complete",
        };
}
