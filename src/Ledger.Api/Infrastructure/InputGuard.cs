namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Holds every route value, every query value and the correlation header to <see cref="Limits"/> before any
/// endpoint runs: they end up in database lookups (an affiliation number, a file id) and on events (the
/// correlation id), and PostgreSQL refuses a NUL with a bare error. Endpoints then parse dates and numbers.
/// </summary>
public static class InputGuard
{
    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                if (Problem(context.Request) is { } problem)
                    await problem.ExecuteAsync(context);
                else
                    await next(context);
            }
        );

    private static IResult? Problem(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
            if (value is string text && Limits.TextProblem(text, Limits.QueryValue) is { } problem)
                return Problems.Invalid(name, problem);
        foreach (var (name, values) in request.Query)
        foreach (var text in values)
            if (text is not null && Limits.TextProblem(text, Limits.QueryValue) is { } problem)
                return Problems.Invalid(Limits.Printable(name, Limits.QueryValue), problem);
        if (request.Headers.TryGetValue(Recording.CorrelationHeader, out var ids))
            foreach (var id in ids)
                if (id is not null && Limits.TextProblem(id, Limits.QueryValue) is { } problem)
                    return Problems.Invalid(Recording.CorrelationHeader, problem);
        return null;
    }
}
