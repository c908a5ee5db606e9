using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Per operation: the API-key requirement and the roles that may call it, bodies that are not JSON records
/// (<see cref="RawBodyAttribute"/>), the CSV variant of an answer (<see cref="ProducesCsvAttribute"/>), parameter
/// formats (<see cref="WireFormats"/>) and the request example (<see cref="OpenApiExamples"/>). Answers' examples
/// are written once every schema is final (<see cref="LedgerDocumentTransformer"/>).
/// </summary>
public sealed class LedgerOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken ct
    )
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata ?? [];
        var roles = metadata
            .OfType<IAuthorizeData>()
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Distinct()
            .ToList();
        // Wolverine describes an operation by its route-derived id (GET_api_rights_affiliationNumber) when it has no
        // description: no help to anyone.
        if (operation.Description is { } text && !text.Contains(' '))
            operation.Description = null;
        var open = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        if (open)
            operation.Security = [];
        else
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(LedgerDocumentTransformer.ApiKeyScheme, context.Document)] = [],
                },
            ];
            var who = roles.Count > 0 ? $"Roles: {string.Join(", ", roles)}." : "Any valid API key.";
            operation.Description = string.IsNullOrEmpty(operation.Description)
                ? who
                : $"{operation.Description}\n\n{who}";
        }

        if (metadata.OfType<RawBodyAttribute>().FirstOrDefault() is { } raw)
            operation.RequestBody = RawBody(raw, context.Document);
        else if (
            operation.RequestBody?.Content is { } content
            && context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body) is { } body
            && OpenApiExamples.RequestOf(body.Type) is { } example
        )
            foreach (var media in content.Values)
                media.Example = example;

        // [Produces("image/svg+xml")] lends its type to every answer; an error is only ever problem details.
        foreach (var (code, answer) in operation.Responses ?? [])
            if (code[0] is '4' or '5' && answer.Content is { Count: > 1 } errorContent)
                foreach (var type in errorContent.Keys.Where(k => !k.EndsWith("json")).ToList())
                    errorContent.Remove(type);

        if (metadata.OfType<ProducesCsvAttribute>().FirstOrDefault() is { } csv)
            if (operation.Responses?.TryGetValue(csv.StatusCode.ToString(), out var answer) == true)
                answer.Content?.TryAdd(
                    "text/csv",
                    new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Description =
                                "With Accept: text/csv, the same data as a download: RFC 4180, UTF-8, CRLF line ends, a header row with the JSON names, money with two decimals.",
                        },
                    }
                );

        var method = (
            context.Description.ActionDescriptor as Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor
        )?.MethodInfo;
        foreach (var parameter in operation.Parameters ?? [])
            if (parameter is OpenApiParameter { Schema: OpenApiSchema schema, Name: { } name } concrete)
            {
                var declared = method
                    ?.GetParameters()
                    .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?.GetCustomAttributes(typeof(WireFormatAttribute), false)
                    .OfType<WireFormatAttribute>()
                    .FirstOrDefault();
                var kind = declared?.Kind ?? WireFormats.KindOf(name);
                if (schema.Type?.HasFlag(JsonSchemaType.String) == true && kind != WireKind.Text)
                {
                    WireFormats.ApplyText(schema, kind);
                    concrete.Example ??= WireFormats.ExampleOf(kind);
                }
            }

        await Task.CompletedTask;
    }

    private static OpenApiRequestBody RawBody(RawBodyAttribute raw, OpenApiDocument? document)
    {
        var body = new OpenApiRequestBody
        {
            Required = true,
            Description = raw.Description,
            Content = new Dictionary<string, OpenApiMediaType>(),
        };
        foreach (var type in raw.ContentTypes)
            body.Content[type] = type switch
            {
                "multipart/form-data" => new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                        },
                    },
                },
                _ when type.EndsWith("json") => new OpenApiMediaType
                {
                    Schema = document is null
                        ? FhirSchema()
                        : new OpenApiSchemaReference(nameof(FhirResource), document),
                    Example = OpenApiExamples.FhirEligibilityRequest(),
                },
                "text/csv" => new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    Example = OpenApiExamples.BankFileCsv,
                },
                _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        return body;
    }

    internal static OpenApiSchema FhirSchema() =>
        new()
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "resourceType" },
            AdditionalPropertiesAllowed = true,
            AdditionalProperties = new OpenApiSchema(),
            Description = "A FHIR R4 resource in JSON (https://hl7.org/fhir/R4), named by its resourceType.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["resourceType"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
}
