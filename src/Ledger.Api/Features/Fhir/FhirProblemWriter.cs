using Microsoft.AspNetCore.Mvc;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// Under <c>/fhir</c>, every problem details answer the host writes outside the FHIR endpoints (401 and 403 of the
/// API-key handler, 400 of the input guard, 413 and 503 of <c>Failures</c>, routing's 404/405, an unexpected 500)
/// is written as a FHIR <c>OperationOutcome</c> instead, with the same status and each named field as an issue.
/// Registered before <c>AddProblemDetails</c>, so it is asked first.
/// </summary>
public sealed class FhirProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => IsFhir(context.HttpContext.Request);

    public static bool IsFhir(HttpRequest request) => request.Path.StartsWithSegments(FhirRoutes.Base);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        var text = string.Join(" ", new[] { problem.Title, problem.Detail }.Where(t => !string.IsNullOrWhiteSpace(t)));
        var issues = problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation
            ? validation.Errors.SelectMany(e => e.Value.Select(reason => ((string?)e.Key, reason)))
            : [(null, text.Length > 0 ? text : $"HTTP {status}")];
        await FhirOutcome.Of(status, issues).ExecuteAsync(http);
    }
}
