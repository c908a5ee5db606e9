namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents a request body that is not one of the ledger's JSON records (a bank file, a FHIR resource) without
/// changing how the route reads it: <c>[Consumes]</c> would make routing answer other content types with a bare 415,
/// where the endpoint names the problem itself.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RawBodyAttribute(string description, params string[] contentTypes) : Attribute
{
    public string Description { get; } = description;
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;
}
