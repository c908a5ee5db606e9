using Microsoft.AspNetCore.Authentication;
using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// Signing in: the API key is posted once (a password field, never in a URL), checked by the API's key registry, and
/// exchanged for the console's cookie; the key itself is kept nowhere. Signing out ends the cookie.
/// </summary>
public static class SignInPage
{
    public static async Task<IResult> Form(string? returnUrl, HttpContext context)
    {
        // Already signed in: straight on.
        if ((await context.AuthenticateAsync(ConsoleAuthentication.Scheme)).Succeeded)
            return Results.Redirect(ConsoleLanguage.LocalConsolePath(returnUrl));
        var page = new ConsolePage(context);
        return Render(page, returnUrl, null, StatusCodes.Status200OK);
    }

    public static async Task<IResult> SignIn(HttpContext context, ApiKeyRegistry keys)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var key = form["apiKey"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var page = new ConsolePage(context);
        var entry = string.IsNullOrWhiteSpace(key) ? null : keys.Find(key.Trim());
        if (entry is null)
            return Render(page, returnUrl, page.T("This API key is not valid."), StatusCodes.Status401Unauthorized);
        await context.SignInAsync(
            ConsoleAuthentication.Scheme,
            ConsoleAuthentication.PrincipalOf(entry),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true }
        );
        return Results.Redirect(ConsoleLanguage.LocalConsolePath(returnUrl), preserveMethod: false);
    }

    public static async Task<IResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(ConsoleAuthentication.Scheme);
        return Results.Redirect("/console/sign-in");
    }

    private static IResult Render(ConsolePage page, string? returnUrl, string? problem, int status)
    {
        Html message = problem is null ? Html.Empty : ConsoleProblems.Box(page, problem, []);
        return page.Render(
            page.T("Sign in"),
            $"""
            {message}
            <form method="post" action="/console/sign-in" class="card narrow" autocomplete="off">
            {page.AntiforgeryField}
            <input type="hidden" name="returnUrl" value="{ConsoleLanguage.LocalConsolePath(returnUrl)}">
            <label for="apiKey">{page.T("API key")}</label>
            <input id="apiKey" name="apiKey" type="password" required autofocus autocomplete="off" spellcheck="false">
            <p class="hint">{page.T(
                "The key your unit was given for the ledger's API. It is checked once and never shown or stored; the session ends after 30 minutes without use."
            )}</p>
            <button type="submit">{page.T("Sign in")}</button>
            </form>
            """,
            status
        );
    }
}
