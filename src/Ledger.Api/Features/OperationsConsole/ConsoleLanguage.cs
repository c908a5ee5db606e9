namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>The language switch: a cookie for a year, then back to the page it was chosen on (only a console
/// page).</summary>
public static class ConsoleLanguage
{
    public static IResult Switch(string code, string? back, HttpContext context)
    {
        var language = code == "en" ? "en" : "es";
        context.Response.Cookies.Append(
            ConsolePage.LanguageCookie,
            language,
            new CookieOptions
            {
                Path = ConsoleEndpoints.Base,
                HttpOnly = true,
                Secure = true,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(365),
            }
        );
        return Results.Redirect(LocalConsolePath(back));
    }

    /// <summary>A path inside the console, or the console's home: never another site (no open redirect).</summary>
    public static string LocalConsolePath(string? path) =>
        path is not null
        && path.StartsWith(ConsoleEndpoints.Base, StringComparison.Ordinal)
        && !path.Contains("//", StringComparison.Ordinal)
        && !path.Contains('\\')
        && (path.Length == ConsoleEndpoints.Base.Length || path[ConsoleEndpoints.Base.Length] is '/' or '?')
            ? path
            : ConsoleEndpoints.Base;
}
