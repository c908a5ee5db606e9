using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>The page around every console page: navigation limited to the role's pages, the language switch and
/// sign-out.</summary>
public static class ConsoleLayout
{
    /// <summary>The pages of the navigation and the roles that may open each (the API's own role lists).</summary>
    private static readonly (string Path, string Label, string Roles)[] Pages =
    [
        ("/console/bank-files", "Bank files", Roles.ReadReconciliation),
        ("/console/reconciliation", "Reconciliation", Roles.ReadReconciliation),
        ("/console/suspense", "Suspense", Roles.ReadReconciliation),
        ("/console/accounts", "Accounts", Roles.ReadAccounts),
        ("/console/programme", "Programme", ConsoleEndpoints.ProgrammeRoles),
    ];

    public static IEnumerable<(string Path, string Label)> PagesFor(ConsolePage page) =>
        Pages.Where(p => page.May(p.Roles)).Select(p => (p.Path, p.Label));

    public static IResult Render(ConsolePage page, string title, Html body, int status)
    {
        var context = page.Context;
        var here = context.Request.Path + context.Request.QueryString;
        Html nav = page.Who is null
            ? Html.Empty
            : (Html)
                $"""
                    <nav aria-label="{page.T("Pages")}">{PagesFor(page).Select(p =>
                        (Html)
                            $"<a href=\"{p.Path}\"{(context.Request.Path.StartsWithSegments(p.Path) ? Html.Raw(" aria-current=\"page\"") : Html.Empty)}>{page.T(p.Label)}</a>"
                    )}</nav>
                    <form class="signout" method="post" action="/console/sign-out">{page.AntiforgeryField}<span class="who">{page.Who} ({page.Role})</span> <button type="submit">{page.T(
                        "Sign out"
                    )}</button></form>
                    """;
        Html switcher =
            page.Language == "es"
                ? (Html)
                    $"<a class=\"lang\" lang=\"en\" hreflang=\"en\" href=\"/console/language/en?back={Uri.EscapeDataString(here)}\">English</a>"
                : (Html)
                    $"<a class=\"lang\" lang=\"es\" hreflang=\"es\" href=\"/console/language/es?back={Uri.EscapeDataString(here)}\">Español</a>";
        Html document = $"""
            <!doctype html>
            <html lang="{page.Language}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · SALEX</title>
            <link rel="stylesheet" href="/console/assets/console.css">
            <script src="/console/assets/console.js" defer></script>
            </head>
            <body>
            <header>
            <a class="brand" href="/console">SALEX · {page.T("Operations console")}</a>
            {nav}
            {switcher}
            </header>
            <main>
            <h1>{title}</h1>
            {body}
            </main>
            </body>
            </html>
            """;
        return new HtmlResult(document.ToString(), status);
    }
}
