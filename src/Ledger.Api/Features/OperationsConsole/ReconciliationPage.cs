using Marten;
using NodaTime;
using Salex.Ledger.Api.Features.Banks;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// What each bank collected per day (the API's <c>/api/reconciliation</c> query), the invariant checked on every row and
/// the totals apart; a row opens the day's transactions (their payment receipts).
/// </summary>
public static class ReconciliationPage
{
    /// <summary>A week by default: a morning's check usually looks at the last few days.</summary>
    public const int DefaultDays = 7;

    public const int DayTransactions = 1000;

    public static async Task<IResult> Days(
        string? bank,
        string? from,
        string? to,
        HttpContext context,
        IQuerySession session,
        IClock clock,
        PartnerBankRegistry banks,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var today = ElSalvador.Today(clock);
        to = string.IsNullOrWhiteSpace(to) ? Dates.Format(today) : to.Trim();
        from = string.IsNullOrWhiteSpace(from) ? Dates.Format(today.PlusDays(1 - DefaultDays)) : from.Trim();
        var (problem, reconciliation) = await ReconciliationEndpoints.ReconcileAsync(
            bank,
            from,
            to,
            session,
            clock,
            ct
        );

        var options = banks.Banks.All.Select(b =>
            (Html)
                $"<option value=\"{b.Code}\"{(string.Equals(b.Code, bank?.Trim(), StringComparison.OrdinalIgnoreCase) ? Html.Raw(" selected") : Html.Empty)}>{b.Code} · {b.Name}</option>"
        );
        Html form = $"""
            <form method="get" action="/console/reconciliation" class="card inline">
            <label>{page.T("From")} <input type="date" name="from" value="{from}"></label>
            <label>{page.T("To")} <input type="date" name="to" value="{to}"></label>
            <label>{page.T("Bank")} <select name="bank"><option value="">{page.T(
                "All banks"
            )}</option>{options}</select></label>
            <button type="submit">{page.T("Show")}</button>
            </form>
            """;
        if (problem is not null)
            return page.Render(
                page.T("Reconciliation"),
                $"{form}{ConsoleProblems.Box(page, problem)}",
                ConsoleProblems.StatusOf(problem)
            );
        var r = reconciliation!;
        var rows = r.Days.Select(d =>
            (Html)
                $"""
                    <tr><td>{d.Bank}</td><td><a href="/console/reconciliation/{Uri.EscapeDataString(
                        d.Bank
                    )}/{d.Day}">{d.Day}</a></td>{Figures(page, d)}</tr>
                    """
        );
        Html days =
            r.Days.Count == 0
                ? (Html)$"<p class=\"empty\">{page.T("No money was recorded in this range.")}</p>"
                : (Html)
                    $"""
                        <table>
                        <thead><tr><th>{page.T("Bank")}</th><th>{page.T("Day")}</th>{Header(page)}</tr></thead>
                        <tbody>{rows}</tbody>
                        </table>
                        """;
        Html body = $"""
            {form}
            <p class="invariant">{page.T(
                "Each row must hold: received = contributions + surcharges + credits + suspense + refunds due."
            )}</p>
            {days}
            <h2>{page.T("Totals")}</h2>
            <table class="totals">
            <thead><tr><th>{page.T("Bank")}</th><th>{page.T("Days")}</th>{Header(page)}</tr></thead>
            <tbody><tr><td>{(r.Bank ?? page.T("All banks"))}</td><td>{r.From} … {r.To}</td>{Figures(
                page,
                r.Totals
            )}</tr></tbody>
            </table>
            <p>{page.T("Balanced, every row and the totals")}: {BankFilesPages.Check(page, r.Balanced)}</p>
            """;
        return page.Render(page.T("Reconciliation"), body);
    }

    private static Html Header(ConsolePage page) =>
        $"<th>{page.T("Transactions")}</th><th>{page.T("Received")}</th><th>{page.T("Contributions")}</th><th>{page.T("Surcharges")}</th><th>{page.T("Credits")}</th><th>{page.T("Suspense")}</th><th>{page.T("Refunds due")}</th><th>{page.T("Balanced")}</th>";

    private static Html Figures(ConsolePage page, BankDay d) =>
        $"""<td class="num">{d.Transactions:N0}</td><td class="num">{page.Money(d.Received)}</td><td class="num">{page.Money(d.Contributions)}</td><td class="num">{page.Money(d.Surcharges)}</td><td class="num">{page.Money(d.Credits)}</td><td class="num">{page.Money(d.Suspense)}</td><td class="num">{page.Money(d.RefundsDue)}</td><td>{BankFilesPages.Check(page, d.Balanced)}</td>""";

    /// <summary>One bank's day: each transaction once, with where its money went and how it reached the
    /// ledger.</summary>
    public static async Task<IResult> Day(
        string bank,
        string day,
        HttpContext context,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        if (!Wire.TryDate(day, out var date))
            return page.Problem(Problems.BadDate("day", day));
        var code = bank.Trim().ToUpperInvariant();
        var formatted = Dates.Format(date);
        var receipts = await session
            .Query<PaymentReceipt>()
            .Where(r => r.Bank == code && r.Day == formatted)
            .OrderBy(r => r.Id)
            .Take(DayTransactions)
            .ToListAsync(ct);
        var rows = receipts.Select(r =>
            (Html)
                $"""
                    <tr><td>{r.Id[(r.Id.IndexOf('/') + 1)..]}</td><td>{BankFilesPages.AccountLink(
                        page,
                        r.AffiliationNumber
                    )}</td><td>{r.Origin}</td>
                    <td class="num">{page.Money(r.Trail.Amount)}</td><td class="num">{page.Money(
                        r.Trail.Contributions
                    )}</td><td class="num">{page.Money(r.Trail.Surcharges)}</td>
                    <td class="num">{page.Money(r.Trail.Credit)}</td><td class="num">{page.Money(
                        r.Trail.Suspense
                    )}</td><td class="num">{page.Money(r.Trail.Refund)}</td><td>{BankFilesPages.Check(
                        page,
                        r.Trail.Balanced
                    )}</td></tr>
                    """
        );
        Html more =
            receipts.Count == DayTransactions
                ? (Html)
                    $"<p class=\"hint\">{string.Format(page.T("The first {0} transactions are shown; the API's CSV has them all."), DayTransactions)}</p>"
                : Html.Empty;
        Html body = $"""
            <p><a href="/console/reconciliation?from={formatted}&amp;to={formatted}&amp;bank={Uri.EscapeDataString(
                code
            )}">← {page.T("Reconciliation")}</a></p>
            <table>
            <thead><tr><th>{page.T("Reference")}</th><th>{page.T("Affiliation number")}</th><th>{page.T(
                "Origin"
            )}</th><th>{page.T("Amount")}</th><th>{page.T("Contributions")}</th><th>{page.T(
                "Surcharges"
            )}</th><th>{page.T("Credit")}</th><th>{page.T("Suspense")}</th><th>{page.T("Refund")}</th><th>{page.T(
                "Balanced"
            )}</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            {more}
            """;
        return page.Render($"{code} · {formatted}", body);
    }
}
