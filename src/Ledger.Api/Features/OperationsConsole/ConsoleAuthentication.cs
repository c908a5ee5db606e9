using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// The console's session: the caller's API key, checked once by the same registry as <c>X-Api-Key</c>, exchanged for a
/// cookie that carries the key's name and role (never the key). Only the console's routes accept this scheme; the
/// API's routes keep the API-key scheme alone.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string Cookie = "salex-console";

    /// <summary>A session ends after this long without a request (sliding), or when the browser closes.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    public static AuthenticationBuilder AddConsoleCookie(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(
            Scheme,
            o =>
            {
                o.Cookie.Name = Cookie;
                o.Cookie.Path = ConsoleEndpoints.Base;
                o.Cookie.HttpOnly = true;
                // Secure always: browsers keep it over https, and over plain http only on the loopback address.
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = IdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = "/console/sign-in";
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnRedirectToLogin = context =>
                {
                    // A page asked for without a session goes to the sign-in form; a form posted without one is told.
                    if (HttpMethods.IsGet(context.Request.Method))
                    {
                        context.Response.Redirect(context.RedirectUri);
                        return Task.CompletedTask;
                    }
                    var page = new ConsolePage(context.HttpContext);
                    return page.Render(
                            page.T("Signed out"),
                            ConsoleProblems.Box(page, page.T("Your session has ended: sign in again."), []),
                            StatusCodes.Status401Unauthorized
                        )
                        .ExecuteAsync(context.HttpContext);
                };
                // A session whose key is no longer configured ends at its next request, not when it would expire.
                o.Events.OnValidatePrincipal = async context =>
                {
                    var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyRegistry>();
                    if (!StillHeld(context.Principal, keys))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(Scheme);
                    }
                };
                o.Events.OnRedirectToAccessDenied = context =>
                    Forbidden(context.HttpContext).ExecuteAsync(context.HttpContext);
            }
        );

    /// <summary>Whether a session's name and role are those of a key the registry still holds.</summary>
    public static bool StillHeld(ClaimsPrincipal? principal, ApiKeyRegistry keys) =>
        principal?.FindFirstValue(ClaimTypes.Name) is { } name
        && principal.FindFirstValue(ClaimTypes.Role) is { } role
        && keys.Holds(name, role);

    /// <summary>The page a role without rights sees: 403, with the role named and a way back.</summary>
    public static IResult Forbidden(HttpContext context)
    {
        var page = new ConsolePage(context);
        var message = string.Format(page.T("The role '{0}' may not use this page."), page.Role ?? "");
        return page.Render(
            page.T("Not allowed"),
            ConsoleProblems.Box(page, message, []),
            StatusCodes.Status403Forbidden
        );
    }

    /// <summary>The API's role list for a route (<see cref="Roles"/>), for the console's scheme only.</summary>
    public static AuthorizeAttribute Allow(string roles) => new() { Roles = roles, AuthenticationSchemes = Scheme };

    /// <summary>The same claims as <see cref="ApiKeyAuthenticationHandler"/> gives a request, so stamps are the
    /// same.</summary>
    public static ClaimsPrincipal PrincipalOf(ApiKeyEntry entry) =>
        new(
            new ClaimsIdentity([new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role)], Scheme)
        );
}
