using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace Salex.Ledger.Api.Tests.Contract;

/// <summary>
/// Checks a JSON value against an OpenAPI schema of the served document, for what the contract promises: types and
/// nulls, required properties, enums, formats (date, date-time, uuid, decimal), patterns and multipleOf. Enough to
/// catch an example or a real answer that the document misdescribes; not a full JSON Schema validator.
/// </summary>
public sealed class SchemaCheck(OpenApiDocument document)
{
    public List<string> Check(JsonNode? value, IOpenApiSchema? schema, string path)
    {
        var problems = new List<string>();
        Walk(value, schema, path, problems, 0);
        return problems;
    }

    private IOpenApiSchema? Resolve(IOpenApiSchema? schema) =>
        schema is OpenApiSchemaReference { Reference.Id: { } id }
        && document.Components?.Schemas?.TryGetValue(id, out var target) == true
            ? target
            : schema;

    private void Walk(JsonNode? value, IOpenApiSchema? schema, string path, List<string> problems, int depth)
    {
        schema = Resolve(schema);
        if (schema is null || depth > 20)
            return;
        var type = schema.Type;
        if (value is null)
        {
            if (type is { } t && !t.HasFlag(JsonSchemaType.Null))
                problems.Add($"{path}: null, but the schema is {t}");
            return;
        }
        var kind = value.GetValueKind();
        if (type is { } declared)
        {
            var fits = kind switch
            {
                JsonValueKind.Object => declared.HasFlag(JsonSchemaType.Object),
                JsonValueKind.Array => declared.HasFlag(JsonSchemaType.Array),
                JsonValueKind.String => declared.HasFlag(JsonSchemaType.String),
                JsonValueKind.Number => declared.HasFlag(JsonSchemaType.Number)
                    || (declared.HasFlag(JsonSchemaType.Integer) && IsInteger(value)),
                JsonValueKind.True or JsonValueKind.False => declared.HasFlag(JsonSchemaType.Boolean),
                _ => true,
            };
            if (!fits)
            {
                problems.Add($"{path}: a JSON {kind}, but the schema is {declared}");
                return;
            }
        }
        if (schema.Enum is { Count: > 0 } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            problems.Add($"{path}: {value.ToJsonString()} is not one of {string.Join(", ", allowed.Select(a => a?.ToJsonString()))}");
        switch (kind)
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (schema.Pattern is { } pattern && !Regex.IsMatch(text, pattern))
                    problems.Add($"{path}: '{text}' does not match {pattern}");
                var formatted = schema.Format switch
                {
                    "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "date-time" => text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "uuid" => Guid.TryParse(text, out _),
                    _ => true,
                };
                if (!formatted)
                    problems.Add($"{path}: '{text}' is not a {schema.Format}");
                break;
            case JsonValueKind.Number:
                var number = value.GetValue<decimal>();
                if (schema.MultipleOf is { } step && step > 0 && number % step != 0)
                    problems.Add($"{path}: {number} is not a multiple of {step}");
                break;
            case JsonValueKind.Object:
                var obj = value.AsObject();
                foreach (var name in schema.Required ?? new HashSet<string>())
                    if (!obj.ContainsKey(name))
                        problems.Add($"{path}: the required property '{name}' is missing");
                foreach (var (name, child) in obj)
                    if (schema.Properties?.TryGetValue(name, out var propertySchema) == true)
                        Walk(child, propertySchema, $"{path}.{name}", problems, depth + 1);
                    else if (schema.AdditionalProperties is { } values)
                        Walk(child, values, $"{path}.{name}", problems, depth + 1);
                    else if (schema.Properties?.Count > 0 && !schema.AdditionalPropertiesAllowed)
                        problems.Add($"{path}: '{name}' is not in the schema");
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.AsArray())
                    Walk(item, schema.Items, $"{path}[{i++}]", problems, depth + 1);
                break;
        }
    }

    private static bool IsInteger(JsonNode value) => value.GetValue<decimal>() % 1 == 0;
}
