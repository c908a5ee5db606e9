namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents that the route also answers <c>text/csv</c> (with <c>Accept: text/csv</c>, see <see cref="Csv"/>): the
/// OpenAPI document lists it beside the JSON answer of <paramref name="statusCode"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesCsvAttribute(int statusCode = 200) : Attribute
{
    public int StatusCode { get; } = statusCode;
}
