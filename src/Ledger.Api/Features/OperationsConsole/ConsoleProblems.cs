using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// The API's answers to a refusal (problem details) read back as what a page shows: the message and the fields it
/// names, never a stack trace.
/// </summary>
public static class ConsoleProblems
{
    public static ProblemDetails? DetailsOf(IResult result) =>
        result switch
        {
            ProblemHttpResult p => p.ProblemDetails,
            ValidationProblem v => v.ProblemDetails,
            _ => null,
        };

    public static int StatusOf(IResult result) =>
        (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status400BadRequest;

    public static string MessageOf(IResult result) =>
        DetailsOf(result) is { } p ? Message(p) : "The request cannot be done.";

    public static string Message(ProblemDetails p) =>
        !string.IsNullOrWhiteSpace(p.Detail) ? p.Detail
        : p is HttpValidationProblemDetails { Errors.Count: > 0 } v
            ? string.Join(" ", v.Errors.SelectMany(e => e.Value))
        : p.Title ?? "The request cannot be done.";

    public static Html Box(ConsolePage page, IResult result) =>
        DetailsOf(result) is { } p ? Box(page, p) : Box(page, MessageOf(result), []);

    public static Html Box(ConsolePage page, ProblemDetails p)
    {
        var fields = p is HttpValidationProblemDetails v ? v.Errors.Keys.ToList() : [];
        return Box(page, Message(p), fields);
    }

    public static Html Box(ConsolePage page, string message, IReadOnlyList<string> fields)
    {
        Html named =
            fields.Count == 0
                ? Html.Empty
                : (Html)$"<p class=\"fields\">{page.T("Field")}: {string.Join(", ", fields)}</p>";
        return $"<div class=\"problem\" role=\"alert\"><p>{message}</p>{named}</div>";
    }
}
