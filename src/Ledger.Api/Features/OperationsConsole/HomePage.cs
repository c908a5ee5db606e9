namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>The console's first page: what the signed-in role may open.</summary>
public static class HomePage
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["Bank files"] = "Import the banks' files, see each file's reconciliation and its lines.",
        ["Reconciliation"] = "What each bank collected per day, and whether it adds up.",
        ["Suspense"] = "Money whose payer is not known yet: assign it to an account or refund it.",
        ["Accounts"] = "An insured person's account, rights, arrears and history, as known at any instant.",
        ["Programme"] = "The programme's indicators and charts.",
    };

    public static IResult Get(HttpContext context)
    {
        var page = new ConsolePage(context);
        var pages = ConsoleLayout.PagesFor(page).ToList();
        Html body =
            pages.Count == 0
                ? ConsoleProblems.Box(
                    page,
                    string.Format(page.T("The role '{0}' may not use any page of the console."), page.Role),
                    []
                )
                : (Html)
                    $"<ul class=\"tiles\">{pages.Select(p => (Html)$"<li><a href=\"{p.Path}\"><strong>{page.T(p.Label)}</strong><span>{page.T(Descriptions[p.Label])}</span></a></li>")}</ul>";
        return page.Render(page.T("Operations console"), body);
    }
}
