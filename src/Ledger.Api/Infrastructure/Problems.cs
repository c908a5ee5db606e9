using System.Text.Json;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>RFC 9457 problem details with an <c>errors</c> object naming the fields at fault.</summary>
public static class Problems
{
    public static IResult From(IReadOnlyCollection<Refusal> refusals)
    {
        var kind = refusals.Select(r => r.Kind).DefaultIfEmpty(RefusalKind.Invalid).Max();
        var (status, title) = kind switch
        {
            RefusalKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            RefusalKind.Conflict => (StatusCodes.Status409Conflict, "Conflict with the ledger's state"),
            RefusalKind.Unprocessable => (
                StatusCodes.Status422UnprocessableEntity,
                "The ledger's rules refuse this request"
            ),
            _ => (StatusCodes.Status400BadRequest, "The request is not valid"),
        };
        var errors = refusals
            .Where(r => r.Kind == kind)
            .GroupBy(r => r.Field)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray());
        return Results.ValidationProblem(
            errors,
            detail: string.Join(" ", errors.Values.SelectMany(v => v)),
            title: title,
            statusCode: status
        );
    }

    public static IResult Invalid(string field, string reason) => From([Refusal.Invalid(field, reason)]);

    public static IResult NotFound(string field, string reason) =>
        From([new Refusal(RefusalKind.NotFound, field, reason)]);

    public static IResult Conflict(string field, string reason) => From([Refusal.Conflict(field, reason)]);

    public static IResult BadDate(string field, string? text) => Invalid(field, Wire.DateReason(text));

    public static IResult BadInstant(string field, string? text) => Invalid(field, Wire.InstantReason(text));

    public static IResult UnknownAccount(string affiliationNumber) => From([UnknownAccountRefusal(affiliationNumber)]);

    public static Refusal UnknownAccountRefusal(string affiliationNumber) =>
        new(
            RefusalKind.NotFound,
            "affiliationNumber",
            $"No insured person has the affiliation number '{affiliationNumber}'."
        );

    /// <summary>The field a <see cref="JsonException"/> is about, from its path
    /// ("$.beneficiaries[0].birthDate").</summary>
    public static string FieldOf(JsonException e) =>
        string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body"
        : e.Path.StartsWith("$.") ? CamelCase(e.Path[2..])
        : e.Path.TrimStart('$');

    /// <summary>The field as the contract names it, however the body spelled it ("Amount" is amount: names are read
    /// case-insensitively).</summary>
    private static string CamelCase(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length > 0 ? char.ToLowerInvariant(p[0]) + p[1..] : p));
}
