using Microsoft.AspNetCore.Http;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// Under <c>/console</c> every problem is a page: the input guard's 400, Kestrel's 413, the 503 of a database out of
/// reach, a 404 of routing, and any failure the exception handler answers. Registered before ASP.NET's own writer, as
/// the FHIR one is, so those parts needed no change.
/// </summary>
public sealed class ConsoleProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.Request.Path.StartsWithSegments(ConsoleEndpoints.Base);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var page = new ConsolePage(context.HttpContext);
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        // An unexpected failure says so and nothing more: its exception stays in the log.
        var body =
            status >= 500 && status != StatusCodes.Status503ServiceUnavailable
                ? ConsoleProblems.Box(page, page.T("Something went wrong on the server. The error was logged."), [])
                : ConsoleProblems.Box(page, context.ProblemDetails);
        var title = status switch
        {
            StatusCodes.Status404NotFound => page.T("Not found"),
            StatusCodes.Status503ServiceUnavailable => page.T("The ledger's database is unavailable"),
            >= 500 => page.T("Server error"),
            _ => page.T("The request cannot be done"),
        };
        await ConsoleLayout.Render(page, title, body, status).ExecuteAsync(context.HttpContext);
    }
}
