using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Types and formats of every schema: decimals as <c>number</c>/<c>decimal</c> (money with <c>multipleOf: 0.01</c>;
/// <see cref="LedgerJson"/> writes them with its own converter, which the schema generator cannot see through),
/// NodaTime values as strings with formats, and the ledger's strings by <see cref="WireFormats"/>.
/// </summary>
public sealed class LedgerSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null;
        type = underlying ?? type;
        var property = context.JsonPropertyInfo;
        var declared = Attribute<WireFormatAttribute>(property);
        // A request field is nullable in C# only so that a missing one is named in a 400: on the wire it is required
        // and not null, unless marked optional.
        var requiredField =
            property is not null
            && IsRequest(property.DeclaringType)
            && Attribute<WireOptionalAttribute>(property) is null;
        if (requiredField)
            nullable = false;

        if (
            context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            && IsRequest(type)
        )
        {
            schema.Required ??= new HashSet<string>();
            foreach (var field in context.JsonTypeInfo.Properties)
                if (Attribute<WireOptionalAttribute>(field) is null)
                    schema.Required.Add(field.Name);
                else
                    schema.Required.Remove(field.Name);
        }
        if (
            requiredField
            && schema.Type is { } flags
            && flags.HasFlag(JsonSchemaType.Null)
            && flags != JsonSchemaType.Null
        )
            schema.Type = flags & ~JsonSchemaType.Null;
        if (Attribute<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>(property) is { } allowed)
            schema.Enum = allowed
                .Values.Select(v =>
                    (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(v?.ToString())
                )
                .ToList();

        if (type == typeof(FhirResource))
        {
            // A FHIR resource has FHIR's elements besides its resourceType.
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = new OpenApiSchema();
            schema.Description = "A FHIR R4 resource in JSON (https://hl7.org/fhir/R4), named by its resourceType.";
        }
        else if (type == typeof(decimal))
        {
            var kind =
                declared?.Kind
                ?? (
                    property?.Name.Contains("rate", StringComparison.OrdinalIgnoreCase) == true
                        ? WireKind.Rate
                        : WireKind.Money
                );
            WireFormats.ApplyNumber(schema, kind, nullable);
        }
        else if (NodaKind(type) is { } noda)
        {
            // NodaTime values travel as strings (NodaTime.Serialization.SystemTextJson), never as objects.
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Properties?.Clear();
            schema.Required?.Clear();
            WireFormats.ApplyText(schema, noda);
        }
        else if (type == typeof(string) && property is not null)
            WireFormats.ApplyText(schema, declared?.Kind ?? WireFormats.KindOf(property.Name));
        else if (
            property is not null
            && property.Name is "affiliationNumbers" or "notFound"
            && schema.Items is OpenApiSchema { } items
        )
            WireFormats.ApplyText(items, WireKind.AffiliationNumber);
        return Task.CompletedTask;
    }

    /// <summary>The records that endpoints read as bodies (and those nested in them): named <c>...Request</c> or
    /// <c>...Query</c> in <c>Features</c>.</summary>
    private static bool IsRequest(Type type) =>
        type.Namespace?.StartsWith("Salex.Ledger.Api.Features", StringComparison.Ordinal) == true
        && (
            type.Name.EndsWith("Request", StringComparison.Ordinal)
            || type.Name.EndsWith("Query", StringComparison.Ordinal)
        );

    private static T? Attribute<T>(System.Text.Json.Serialization.Metadata.JsonPropertyInfo? property)
        where T : Attribute =>
        property?.AttributeProvider is ICustomAttributeProvider provider
            ? provider.GetCustomAttributes(typeof(T), true).OfType<T>().FirstOrDefault()
            : null;

    private static WireKind? NodaKind(Type type) =>
        type == typeof(LocalDate) ? WireKind.Date
        : type == typeof(YearMonth) ? WireKind.Period
        : type == typeof(Instant) || type == typeof(OffsetDateTime) || type == typeof(ZonedDateTime) ? WireKind.Instant
        : null;
}
