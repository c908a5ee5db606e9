namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Reasons for the refusals ASP.NET Core's routing answers itself, which came with a title only: a body whose media
/// type the route does not take (415, naming <c>Content-Type</c> as the field at fault, like any bad input) and a
/// method the route does not answer (405); and a query value Wolverine cannot parse (400) names its field in
/// <c>errors</c>.
/// </summary>
public static class FrameworkProblems
{
    public static void Explain(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // Wolverine's refusal of a query value it cannot parse (`?pageSize=abc` on a number) names the parameter
        // in an extension of its own; like every other refusal it names the field in `errors`.
        if (
            problem.Status == StatusCodes.Status400BadRequest
            && problem.Extensions.TryGetValue("parameter", out var parameter)
            && parameter is string field
            && !problem.Extensions.ContainsKey("errors")
        )
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [field] = [problem.Detail ?? $"The value of '{field}' cannot be read."],
            };
        if (problem.Detail is not null)
            return;
        var request = context.HttpContext.Request;
        switch (problem.Status)
        {
            case StatusCodes.Status415UnsupportedMediaType:
                // Routing answers 415 before any endpoint is chosen, so there is no route's metadata to quote; every
                // route it checks takes JSON (the bank-file upload reads its body itself).
                problem.Detail =
                    $"This route does not take a body of type '{Shown(request.ContentType)}'; send application/json.";
                problem.Extensions["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = [problem.Detail] };
                break;
            case StatusCodes.Status405MethodNotAllowed:
                var allowed = context.HttpContext.Response.Headers.Allow.ToString();
                problem.Detail =
                    $"This route does not answer {request.Method}"
                    + (allowed.Length > 0 ? $"; it answers {allowed}." : ".");
                break;
        }
    }

    // What the client sent, echoed within reason.
    private static string Shown(string? contentType) =>
        contentType is null ? "(none)"
        : contentType.Length > 100 ? contentType[..100] + "…"
        : contentType;
}
