using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Wolverine;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// Suspense: the open items with what the bank said of the payer; an item's page searches for the account, previews
/// what the payment would do there (the very decision the assignment takes, <see cref="BankFileDecisions.Decide"/>, not
/// recorded), and assigns or refunds it through the API's commands (<see cref="AssignSuspense"/>, <see
/// cref="RefundSuspense"/>).
/// </summary>
public static class SuspensePages
{
    public static async Task<IResult> List(HttpContext context, IQuerySession session, CancellationToken ct)
    {
        var page = new ConsolePage(context);
        var items = await SuspenseReads.ListAsync(session, SuspenseStatus.Open, ct);
        var rows = items.Select(s =>
            (Html)
                $"""
                    <tr><td><a href="/console/suspense/{Uri.EscapeDataString(
                        s.Id
                    )}">{s.Id}</a></td><td>{s.PaidOn}</td><td>{s.BankCode}</td><td class="num">{page.Money(
                        s.Amount
                    )}</td>
                    <td class="text">{s.DebtorName}</td><td class="text">{s.DebtorAccount}</td><td class="text">{s.Remittance}</td><td class="text">{s.AffiliationNumber}</td><td class="text">{s.Reason}</td></tr>
                    """
        );
        Html body =
            items.Count == 0
                ? (Html)$"<p class=\"empty\">{page.T("No money is held in suspense.")}</p>"
                : (Html)
                    $"""
                        <p>{string.Format(
                            page.T("{0} open items, {1} in all."),
                            items.Count,
                            page.Money(items.Sum(i => i.Amount))
                        )}</p>
                        <table>
                        <thead><tr><th>{page.T("Item")}</th><th>{page.T("Paid on")}</th><th>{page.T(
                            "Bank"
                        )}</th><th>{page.T("Amount")}</th><th>{page.T("Debtor")}</th><th>{page.T(
                            "Debtor's account"
                        )}</th><th>{page.T("Remittance text")}</th><th>{page.T("Number given")}</th><th>{page.T(
                            "Why held"
                        )}</th></tr></thead>
                        <tbody>{rows}</tbody>
                        </table>
                        """;
        return page.Render(page.T("Suspense"), body);
    }

    public static async Task<IResult> Item(
        string id,
        string? q,
        string? to,
        HttpContext context,
        IQuerySession session,
        Regime regime,
        IClock clock,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var item = await session.LoadAsync<SuspenseItem>(id, ct);
        if (item is null)
            return page.Problem(Problems.NotFound("id", $"No suspense item has the id '{id}'."), page.T("Not found"));
        return page.Render(
            await TitleAsync(page, item),
            await ItemBody(page, item, q, to, session, regime, clock, null, ct)
        );
    }

    private static Task<string> TitleAsync(ConsolePage page, SuspenseItem item) =>
        Task.FromResult($"{page.T("Suspense item")} {item.Id}");

    private static async Task<Html> ItemBody(
        ConsolePage page,
        SuspenseItem item,
        string? q,
        string? to,
        IQuerySession session,
        Regime regime,
        IClock clock,
        Html? problem,
        CancellationToken ct
    )
    {
        var s = SuspenseView.Of(item);
        Html details = $"""
            <p><a href="/console/suspense">← {page.T("Suspense")}</a></p>
            {problem}
            <section class="card summary">
            <dl>
            <dt>{page.T("Status")}</dt><dd>{page.T(s.Status)}{(
                s.AssignedTo is { } assigned ? (Html)$" → {BankFilesPages.AccountLink(page, assigned)}" : Html.Empty
            )}</dd>
            <dt>{page.T("Amount")}</dt><dd class="num">{page.Money(s.Amount)}</dd>
            <dt>{page.T("Paid on")}</dt><dd>{s.PaidOn}</dd>
            <dt>{page.T("Bank")}</dt><dd>{s.BankCode} · {s.TransactionId} ({s.Channel})</dd>
            <dt>{page.T("Bank file")}</dt><dd><a href="/console/bank-files/{s.FileId}">{s.FileId}</a>, {page.T(
                "line"
            )} {s.Line}</dd>
            <dt>{page.T("Debtor")}</dt><dd class="text">{s.DebtorName}</dd>
            <dt>{page.T("Debtor's account")}</dt><dd class="text">{s.DebtorAccount}</dd>
            <dt>{page.T("Remittance text")}</dt><dd class="text">{s.Remittance}</dd>
            <dt>{page.T("Number given")}</dt><dd class="text">{s.AffiliationNumber}</dd>
            <dt>{page.T("Why held")}</dt><dd class="text">{s.Reason}</dd>
            {(
                s.RefundReason is { } why
                    ? (Html)$"<dt>{page.T("Refund reason")}</dt><dd class=\"text\">{why}</dd>"
                    : Html.Empty
            )}
            </dl>
            </section>
            """;
        if (item.Status != SuspenseStatus.Open || !page.May(Roles.RecordPayments))
            return details;

        var found = await AccountSearch.FindAsync(session, q, ct);
        var today = ElSalvador.Today(clock);
        Html results =
            string.IsNullOrWhiteSpace(q) ? Html.Empty
            : found.Count == 0 ? (Html)$"<p class=\"empty\">{page.T("No insured person matches.")}</p>"
            : (Html)
                $"""
                    <table><thead><tr><th>{page.T("Affiliation number")}</th><th>{page.T(
                        "Name"
                    )}</th><th>DUI</th><th>{page.T("Status")}</th><th></th></tr></thead>
                    <tbody>{found.Select(a =>
                        (Html)
                            $"<tr><td>{a.Id}</td><td>{a.FullName}</td><td>{a.Dui}</td><td>{page.T(AccountSummary.Of(a, today, regime).Status)}</td><td><a class=\"button\" href=\"/console/suspense/{Uri.EscapeDataString(item.Id)}?q={Uri.EscapeDataString(q!)}&amp;to={a.Id}\">{page.T("Preview")}</a></td></tr>"
                    )}</tbody></table>
                    """;
        Html preview = Html.Empty;
        if (!string.IsNullOrWhiteSpace(to))
        {
            var account = await session.LoadAsync<Account>(to.Trim(), ct);
            preview = account is null
                ? ConsoleProblems.Box(page, Problems.UnknownAccount(to.Trim()))
                : Preview(page, item, account, q, regime);
        }
        return $"""
            {details}
            <section class="card">
            <h2>{page.T("Assign to an account")}</h2>
            <form method="get" action="/console/suspense/{Uri.EscapeDataString(item.Id)}" class="inline">
            <label>{page.T(
                "Affiliation number, DUI or name"
            )} <input type="search" name="q" value="{q}" maxlength="100"></label>
            <button type="submit">{page.T("Search")}</button>
            </form>
            {results}
            {preview}
            </section>
            <section class="card">
            <h2>{page.T("Refund to the payer")}</h2>
            <form method="post" action="/console/suspense/{Uri.EscapeDataString(item.Id)}/refund">
            {page.AntiforgeryField}
            <label for="reason">{page.T("Reason")}</label>
            <textarea id="reason" name="reason" maxlength="500" rows="2" required></textarea>
            <button type="submit" class="secondary">{page.T("Refund")}</button>
            </form>
            </section>
            """;
    }

    /// <summary>What the assignment would do now: the same decision as the command's, nothing recorded.</summary>
    private static Html Preview(ConsolePage page, SuspenseItem item, Account account, string? q, Regime regime)
    {
        var decision = BankFileDecisions.Decide(SuspenseReads.LineAssignedTo(item, account.Id), account, regime);
        var r = decision.Recorded;
        var periods = decision.Allocation?.Periods.ToList() ?? [];
        Html table =
            periods.Count == 0
                ? Html.Empty
                : (Html)
                    $"""
                        <table><thead><tr><th>{page.T("Period")}</th><th>{page.T("Contribution")}</th><th>{page.T(
                            "Days late"
                        )}</th><th>{page.T("Surcharge rate")}</th><th>{page.T("Surcharge")}</th></tr></thead>
                        <tbody>{periods.Select(p =>
                            (Html)
                                $"<tr><td>{p.Period.ToString("yyyy-MM", null)}</td><td class=\"num\">{page.Money(p.Base)}</td><td class=\"num\">{p.DaysLate}</td><td class=\"num\">{p.SurchargeRate:P0}</td><td class=\"num\">{page.Money(p.Surcharge)}</td></tr>"
                        )}</tbody></table>
                        """;
        var applies = decision.AccountEvents.Count > 0;
        return $"""
            <div class="preview" id="preview">
            <h3>{page.T("Preview")}: {account.Id} · {account.FullName}</h3>
            <dl>
            <dt>{page.T("Outcome")}</dt><dd><strong>{page.T(r.Outcome.ToString())}</strong></dd>
            <dt>{page.T("Contributions")}</dt><dd class="num">{page.Money(r.Contributions)}</dd>
            <dt>{page.T("Surcharges")}</dt><dd class="num">{page.Money(r.Surcharges)}</dd>
            <dt>{page.T("Credit")}</dt><dd class="num">{page.Money(r.Credit)}</dd>
            <dt>{page.T("Refund due")}</dt><dd class="num">{page.Money(r.Refund)}</dd>
            <dt>{page.T("Still in suspense")}</dt><dd class="num">{page.Money(r.Suspense)}</dd>
            {(
                r.Reason is { } reason
                    ? (Html)$"<dt>{page.T("Reason")}</dt><dd class=\"text\">{reason}</dd>"
                    : Html.Empty
            )}
            </dl>
            {table}
            <p class="hint">{(
                applies
                    ? page.T("Nothing is recorded until you confirm.")
                    : page.T("This money would not be applied to the account.")
            )}</p>
            <form method="post" action="/console/suspense/{Uri.EscapeDataString(item.Id)}/assign">
            {page.AntiforgeryField}
            <input type="hidden" name="affiliationNumber" value="{account.Id}">
            <input type="hidden" name="q" value="{q}">
            <button type="submit">{page.T("Confirm the assignment")}</button>
            </form>
            </div>
            """;
    }

    public static async Task<IResult> Assign(
        string id,
        HttpContext context,
        IMessageBus bus,
        IQuerySession session,
        Regime regime,
        IClock clock,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var form = await context.Request.ReadFormAsync(ct);
        var wire = new Wire();
        var number = wire.Text(
            "affiliationNumber",
            form["affiliationNumber"].ToString(),
            Limits.QueryValue,
            "The affiliation number is required."
        );
        if (wire.Refusals.Count > 0)
            return await Refused(page, id, Problems.From(wire.Refusals), form["q"], session, regime, clock, ct);
        var outcome = await bus.InvokeAsync<SuspenseOutcome>(new AssignSuspense(id, number), Recording.Of(context), ct);
        if (outcome.Refusals.Count > 0)
            return await Refused(page, id, outcome.Answer(), form["q"], session, regime, clock, ct);
        var done = (SuspenseAssignment)outcome.Body!;
        Html body = $"""
            <div class="done" role="status">
            <p>{string.Format(
                page.T("{0} given to {1}: {2}."),
                page.Money(done.Amount),
                done.AffiliationNumber,
                page.T(done.Outcome)
            )}</p>
            <dl>
            <dt>{page.T("Contributions")}</dt><dd class="num">{page.Money(done.Contributions)}</dd>
            <dt>{page.T("Surcharges")}</dt><dd class="num">{page.Money(done.Surcharges)}</dd>
            <dt>{page.T("Credit")}</dt><dd class="num">{page.Money(done.Credit)}</dd>
            <dt>{page.T("Refund due")}</dt><dd class="num">{page.Money(done.Refund)}</dd>
            </dl>
            </div>
            <p><a href="/console/accounts/{done.AffiliationNumber}">{page.T(
                "Open the account"
            )}</a> · <a href="/console/suspense">{page.T("Back to suspense")}</a></p>
            """;
        return page.Render(page.T("Assigned"), body);
    }

    public static async Task<IResult> Refund(
        string id,
        HttpContext context,
        IMessageBus bus,
        IQuerySession session,
        Regime regime,
        IClock clock,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var form = await context.Request.ReadFormAsync(ct);
        var wire = new Wire();
        var reason = wire.Text(
            "reason",
            form["reason"].ToString(),
            Limits.Reason,
            "Say why the money is paid back (e.g. the payer is not insured)."
        );
        if (wire.Refusals.Count > 0)
            return await Refused(page, id, Problems.From(wire.Refusals), null, session, regime, clock, ct);
        var outcome = await bus.InvokeAsync<SuspenseOutcome>(new RefundSuspense(id, reason), Recording.Of(context), ct);
        if (outcome.Refusals.Count > 0)
            return await Refused(page, id, outcome.Answer(), null, session, regime, clock, ct);
        var done = (SuspenseView)outcome.Body!;
        Html body = $"""
            <div class="done" role="status"><p>{string.Format(
                page.T("{0} from {1} marked as paid back to the payer."),
                page.Money(done.Amount),
                done.BankCode
            )}</p></div>
            <p><a href="/console/suspense">{page.T("Back to suspense")}</a></p>
            """;
        return page.Render(page.T("Refunded"), body);
    }

    /// <summary>A refused settlement: the item's page again, with the API's message, and nothing recorded.</summary>
    private static async Task<IResult> Refused(
        ConsolePage page,
        string id,
        IResult problem,
        string? q,
        IQuerySession session,
        Regime regime,
        IClock clock,
        CancellationToken ct
    )
    {
        var item = await session.LoadAsync<SuspenseItem>(id, ct);
        var box = ConsoleProblems.Box(page, problem);
        if (item is null)
            return page.Render(page.T("Not found"), box, ConsoleProblems.StatusOf(problem));
        return page.Render(
            await TitleAsync(page, item),
            await ItemBody(page, item, q, null, session, regime, clock, box, ct),
            ConsoleProblems.StatusOf(problem)
        );
    }
}
