using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// An answer's example made from its final schema: every required and optional property, one item per array, values
/// by format and pattern (<see cref="WireFormats"/>) and by a few well-known names. Made, not hand-written, so the
/// example of every answer, including routes added later, follows its schema.
/// </summary>
public static class SchemaExamples
{
    private static readonly Dictionary<string, JsonNode> Known = new()
    {
        ["status"] = "Active",
        ["bankCode"] = "AGRICOLA",
        ["bank"] = "AGRICOLA",
        ["code"] = "AGRICOLA",
        ["reference"] = "000912345",
        ["transactionId"] = "000912345",
        ["channel"] = "Online",
        ["fullName"] = "Ana María López",
        ["name"] = "Ana María López",
        ["debtorName"] = "Ana María López",
        ["relationship"] = "Child",
        ["countryOfResidence"] = "US",
        ["email"] = "ana.lopez@example.org",
        ["currency"] = "USD",
        ["kind"] = "Contribution",
        ["outcome"] = "Applied",
        ["reason"] = "Paid back to the payer.",
        ["type"] = "ContributionPaid",
        ["fileId"] = "agricola-2018-03-05",
        ["streamId"] = "100000017",
        ["hash"] = "9f2c6b0e4d8a1f3c5e7b9d1a3c5e7f90b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2",
        ["digest"] = "9f2c6b0e4d8a1f3c5e7b9d1a3c5e7f90b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2",
        ["recordedBy"] = "finance-portal",
    };

    public static JsonNode? Of(IOpenApiSchema? schema, OpenApiDocument document) => Of(schema, document, null, 0);

    private static JsonNode? Of(IOpenApiSchema? schema, OpenApiDocument document, string? name, int depth)
    {
        if (schema is null || depth > 6)
            return null;
        if (schema is OpenApiSchemaReference reference)
            schema =
                reference.Reference.Id is { } id
                && document.Components?.Schemas?.TryGetValue(id, out var target) == true
                    ? target
                    : reference.Target;
        if (schema is null)
            return null;
        if (schema.Example is { } given)
            return given.DeepClone();
        var type = schema.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.Object) || schema.Properties?.Count > 0)
        {
            var result = new JsonObject();
            foreach (var (property, value) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                result[property] = Of(value, document, property, depth + 1);
            if (result.Count == 0 && schema.AdditionalProperties is { } values)
                result["key"] = Of(values, document, null, depth + 1);
            return result;
        }
        if (type.HasFlag(JsonSchemaType.Array))
            return Of(schema.Items, document, Singular(name), depth + 1) is { } item
                ? new JsonArray(item)
                : new JsonArray();
        if (type.HasFlag(JsonSchemaType.Number))
            return schema.MultipleOf == 0.01m ? JsonValue.Create(58.72m) : JsonValue.Create(0.05m);
        if (type.HasFlag(JsonSchemaType.Integer))
            return name is "year" ? 2018 : 1;
        if (type.HasFlag(JsonSchemaType.Boolean))
            return true;
        if (type.HasFlag(JsonSchemaType.String))
        {
            if (schema.Enum is { Count: > 0 } values)
                return values[0]?.DeepClone();
            var kind = schema.Format switch
            {
                "date" => WireKind.Date,
                "date-time" => WireKind.Instant,
                _ when schema.Pattern == WireFormats.PeriodPattern => WireKind.Period,
                _ when schema.Pattern == WireFormats.AffiliationNumberPattern => WireKind.AffiliationNumber,
                _ when schema.Pattern == WireFormats.DuiPattern => WireKind.Dui,
                _ => WireKind.Text,
            };
            if (WireFormats.ExampleOf(kind) is { } formatted)
                return formatted;
            if (schema.Format == "uuid")
                return "3f2b8c1e-5a7d-4e9b-8c2a-1d4e6f8a0b2c";
            return name is not null && Known.TryGetValue(name, out var known) ? known.DeepClone() : "text";
        }
        return null;
    }

    private static string? Singular(string? name) => name is { Length: > 1 } && name.EndsWith('s') ? name[..^1] : name;
}
