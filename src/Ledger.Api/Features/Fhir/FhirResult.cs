using Hl7.Fhir.Serialization;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>A FHIR resource written as <c>application/fhir+json</c> with its status code.</summary>
public sealed class FhirResult(R4.Resource resource, int statusCode = StatusCodes.Status200OK)
    : IResult,
        IStatusCodeHttpResult
{
    public R4.Resource Resource { get; } = resource;
    public int? StatusCode { get; } = statusCode;

    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = FhirJson.ContentType;
        return context.Response.WriteAsync(Resource.ToJson(), context.RequestAborted);
    }
}
