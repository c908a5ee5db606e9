using Salex.Ledger.Api.Infrastructure;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// FHIR's error answer: an <c>OperationOutcome</c> whose issues say what is wrong and where (a FHIRPath
/// <c>expression</c>), with the HTTP status. Every answer of a <c>/fhir</c> route that is not a success is one.
/// </summary>
public static class FhirOutcome
{
    public static FhirResult Invalid(string expression, string diagnostics) =>
        Of(StatusCodes.Status400BadRequest, [(expression, diagnostics)]);

    public static FhirResult NotFound(string expression, string diagnostics) =>
        Of(StatusCodes.Status404NotFound, [(expression, diagnostics)]);

    public static FhirResult TooLarge() =>
        Of(
            StatusCodes.Status413PayloadTooLarge,
            [(null, $"The body is larger than this route accepts ({Limits.JsonBodyBytes:N0} bytes).")]
        );

    /// <summary>At most this many issues in one outcome (a body may hold thousands of unknown elements).</summary>
    public const int MaxIssues = 50;

    public static FhirResult Of(int status, IEnumerable<(string? Expression, string Diagnostics)> issues)
    {
        var all = issues.ToList();
        var shown = all.Take(MaxIssues).ToList();
        if (all.Count > MaxIssues)
            shown.Add((null, $"... and {all.Count - MaxIssues} more issues."));
        return new FhirResult(
            new R4.OperationOutcome
            {
                Issue =
                [
                    .. shown.Select(i => new R4.OperationOutcome.IssueComponent
                    {
                        Severity = R4.OperationOutcome.IssueSeverity.Error,
                        Code = TypeFor(status),
                        // Both may quote what was sent (a path holds the names sent): cut short and made printable.
                        Diagnostics = Limits.Printable(i.Diagnostics, 1000),
                        Expression = i.Expression is { } e ? [Limits.Printable(e, 200)] : [],
                    }),
                ],
            },
            status
        );
    }

    /// <summary>The FHIR issue type of an HTTP status (the ones a <c>/fhir</c> route can answer).</summary>
    public static R4.OperationOutcome.IssueType TypeFor(int status) =>
        status switch
        {
            StatusCodes.Status400BadRequest => R4.OperationOutcome.IssueType.Invalid,
            StatusCodes.Status401Unauthorized => R4.OperationOutcome.IssueType.Login,
            StatusCodes.Status403Forbidden => R4.OperationOutcome.IssueType.Forbidden,
            StatusCodes.Status404NotFound => R4.OperationOutcome.IssueType.NotFound,
            StatusCodes.Status409Conflict => R4.OperationOutcome.IssueType.Conflict,
            StatusCodes.Status413PayloadTooLarge => R4.OperationOutcome.IssueType.TooLong,
            StatusCodes.Status422UnprocessableEntity => R4.OperationOutcome.IssueType.BusinessRule,
            StatusCodes.Status503ServiceUnavailable => R4.OperationOutcome.IssueType.Transient,
            >= 500 => R4.OperationOutcome.IssueType.Exception,
            405 or 406 or 415 => R4.OperationOutcome.IssueType.NotSupported,
            _ => R4.OperationOutcome.IssueType.Processing,
        };
}
