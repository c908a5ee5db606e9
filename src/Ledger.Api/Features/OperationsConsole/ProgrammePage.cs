namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>The programme's indicators and charts (issue 15 items 2 and 3, built on the indicators branch).</summary>
public static class ProgrammePage
{
    public static IResult Get(HttpContext context)
    {
        var page = new ConsolePage(context);
        return page.Render(
            page.T("Programme"),
            $"<p class=\"empty\">{page.T("The programme's indicators are not available yet.")}</p>"
        );
    }
}
