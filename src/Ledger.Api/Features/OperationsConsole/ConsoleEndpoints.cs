using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// The operations console (docs/console.md): server-rendered pages under <c>/console</c> for finance and auditors, in
/// Spanish and English, signed in with an API key exchanged for a cookie, each page limited to the roles the API
/// enforces on the same data, every form checked by ASP.NET Core antiforgery. Its actions send the API's own commands
/// through the same handlers, so rules, stamps and receipts are the API's.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Base = "/console";

    /// <summary>The programme's indicators: management reads them with finance's and auditors' keys (as the
    /// API).</summary>
    public const string ProgrammeRoles = Roles.ReadIndicators;

    public static IServiceCollection AddOperationsConsole(this IServiceCollection services)
    {
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "salex-console-csrf";
            o.Cookie.Path = Base;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            // ASP.NET refuses to issue a Secure-only token over plain http (a TLS-terminating proxy in front); the
            // token is bound to the signed-in identity, so it is worthless without the Secure session cookie.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The upload script sends the token as a header, so the file is streamed rather than read as a form.
            o.HeaderName = "X-CSRF-TOKEN";
        });
        // Under /console, problems are pages (registered before ASP.NET's problem details writer).
        services.AddSingleton<IProblemDetailsWriter, ConsoleProblemWriter>();
        return services;
    }

    public static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }

    public static WebApplication MapOperationsConsole(this WebApplication app)
    {
        var console = app.MapGroup(Base).ExcludeFromDescription();

        console.MapGet("/assets/console.css", () => ConsoleAssets.Css).AllowAnonymous();
        console.MapGet("/assets/console.js", () => ConsoleAssets.Script).AllowAnonymous();
        console.MapGet("/language/{code}", ConsoleLanguage.Switch).AllowAnonymous();
        console.MapGet("/sign-in", SignInPage.Form).AllowAnonymous();
        console.MapPost("/sign-in", SignInPage.SignIn).AllowAnonymous().AddEndpointFilter(CheckForm);
        // Signed in with any role: the form's token is bound to the console's user, who must be known to check it.
        var anyone = ConsoleAuthentication.Allow(string.Join(',', Roles.All));
        console
            .MapPost("/sign-out", (Delegate)SignInPage.SignOut)
            .RequireAuthorization(anyone)
            .AddEndpointFilter(CheckForm);
        console.MapGet("/", HomePage.Get).RequireAuthorization(anyone);

        var read = ConsoleAuthentication.Allow(Roles.ReadReconciliation);
        var pay = ConsoleAuthentication.Allow(Roles.RecordPayments);
        console.MapGet("/bank-files", BankFilesPages.List).RequireAuthorization(read);
        console
            .MapPost("/bank-files", BankFilesPages.Upload)
            .RequireAuthorization(pay)
            .AddEndpointFilter(CheckUpload)
            .WithMetadata(new RequestSizeLimitAttribute(Limits.BankFileBytes));
        console.MapGet("/bank-files/{fileId}", BankFilesPages.File).RequireAuthorization(read);
        console.MapGet("/bank-files/{fileId}/lines.csv", BankFilesPages.LinesCsv).RequireAuthorization(read);

        console.MapGet("/reconciliation", ReconciliationPage.Days).RequireAuthorization(read);
        console.MapGet("/reconciliation/{bank}/{day}", ReconciliationPage.Day).RequireAuthorization(read);

        console.MapGet("/suspense", SuspensePages.List).RequireAuthorization(read);
        console.MapGet("/suspense/{id}", SuspensePages.Item).RequireAuthorization(read);
        console
            .MapPost("/suspense/{id}/assign", SuspensePages.Assign)
            .RequireAuthorization(pay)
            .AddEndpointFilter(CheckForm);
        console
            .MapPost("/suspense/{id}/refund", SuspensePages.Refund)
            .RequireAuthorization(pay)
            .AddEndpointFilter(CheckForm);

        var accounts = ConsoleAuthentication.Allow(Roles.ReadAccounts);
        console.MapGet("/accounts", AccountPages.Search).RequireAuthorization(accounts);
        console.MapGet("/accounts/{affiliationNumber}", AccountPages.Account).RequireAuthorization(accounts);

        var programme = ConsoleAuthentication.Allow(ProgrammeRoles);
        console.MapGet("/programme", ProgrammePage.Get).RequireAuthorization(programme);
        console.MapGet("/programme/charts/{chart}", ProgrammePage.Chart).RequireAuthorization(programme);
        console.MapGet("/programme/indicators.csv", ProgrammePage.IndicatorsCsvFile).RequireAuthorization(programme);
        return app;
    }

    /// <summary>Every form's antiforgery token, checked before the action runs; a form without it changes
    /// nothing. The form's fields are read here too, so a body that is not a readable form is a 400 page.</summary>
    private static ValueTask<object?> CheckForm(
        EndpointFilterInvocationContext invocation,
        EndpointFilterDelegate next
    ) => CheckAsync(invocation, next, readFields: true);

    /// <summary>The upload's token: its file is streamed by the action, which names a malformed upload itself.</summary>
    private static ValueTask<object?> CheckUpload(
        EndpointFilterInvocationContext invocation,
        EndpointFilterDelegate next
    ) => CheckAsync(invocation, next, readFields: false);

    private static async ValueTask<object?> CheckAsync(
        EndpointFilterInvocationContext invocation,
        EndpointFilterDelegate next,
        bool readFields
    )
    {
        var context = invocation.HttpContext;
        var page = new ConsolePage(context);
        try
        {
            if (readFields && !context.Request.HasFormContentType)
                return Unreadable(page);
            if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
                return page.Render(
                    page.T("The form cannot be accepted"),
                    ConsoleProblems.Box(
                        page,
                        page.T(
                            "This form was not sent by the console, or it has expired: reload the page and send it again."
                        ),
                        []
                    ),
                    StatusCodes.Status400BadRequest
                );
            if (readFields)
                await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (IsUnreadableForm(e))
        {
            return Unreadable(page);
        }
        return await next(invocation);
    }

    /// <summary>
    /// What the form reader throws for a body that is not a well-formed form (more fields than a form may have, an
    /// escape that decodes to a NUL, a multipart body cut short or without its boundary), also wrapped by antiforgery:
    /// the sender's fault, not a 500. Kestrel's own refusals (a body past the limit: 413) keep their status.
    /// </summary>
    private static bool IsUnreadableForm(Exception e) =>
        e switch
        {
            BadHttpRequestException => false,
            AntiforgeryValidationException { InnerException: { } inner } => IsUnreadableForm(inner),
            InvalidDataException or IOException => true,
            _ => false,
        };

    private static IResult Unreadable(ConsolePage page) =>
        page.Render(
            page.T("The form cannot be accepted"),
            ConsoleProblems.Box(
                page,
                page.T("The request is not a form of this page: reload the page and send it again."),
                []
            ),
            StatusCodes.Status400BadRequest
        );
}
