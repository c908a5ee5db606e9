namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Marks a request field the caller may leave out. Request records declare every field nullable, so that a missing
/// one is named in a 400 rather than refused by the serializer; the OpenAPI document lists the others as required
/// and not null (<see cref="LedgerSchemaTransformer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WireOptionalAttribute : Attribute;
