using Marten;
using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.AsKnownAt;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// An account as finance and auditors read it, on a business date and as known at an instant (through <see
/// cref="AsKnown"/>, as the API's rights, arrears and state): the summary, rights, waiting period and family group for
/// every role that reads accounts; arrears for the roles that read arrears; the history as a timeline with who
/// recorded each event, and the hash-chain check, for auditors.
/// </summary>
public static class AccountPages
{
    public const int TimelineEvents = 500;

    public static async Task<IResult> Search(
        string? q,
        HttpContext context,
        IQuerySession session,
        IClock clock,
        Regime regime,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var found = await AccountSearch.FindAsync(session, q, ct);
        if (found.Count == 1 && !string.IsNullOrWhiteSpace(q))
            return Results.Redirect($"/console/accounts/{found[0].Id}");
        var today = ElSalvador.Today(clock);
        Html results =
            string.IsNullOrWhiteSpace(q) ? Html.Empty
            : found.Count == 0 ? (Html)$"<p class=\"empty\">{page.T("No insured person matches.")}</p>"
            : (Html)
                $"""
                    <table><thead><tr><th>{page.T("Affiliation number")}</th><th>{page.T(
                        "Name"
                    )}</th><th>DUI</th><th>{page.T("Status")}</th></tr></thead>
                    <tbody>{found.Select(a =>
                        (Html)
                            $"<tr><td><a href=\"/console/accounts/{a.Id}\">{a.Id}</a></td><td>{a.FullName}</td><td>{a.Dui}</td><td>{page.T(AccountSummary.Of(a, today, regime).Status)}</td></tr>"
                    )}</tbody></table>
                    """;
        return page.Render(
            page.T("Accounts"),
            $"""
            <form method="get" action="/console/accounts" class="card inline">
            <label>{page.T(
                "Affiliation number, DUI or name"
            )} <input type="search" name="q" value="{q}" maxlength="100" autofocus></label>
            <button type="submit">{page.T("Search")}</button>
            </form>
            {results}
            """
        );
    }

    /// <summary>
    /// A local time typed in the office ("2026-11-23 14:05", El Salvador's time) as the instant the API's <c>asOf</c>
    /// takes; anything else goes to the API's parser unchanged, which names what is wrong with it.
    /// </summary>
    public static string? AsOfInstant(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        foreach (var pattern in LocalPatterns)
            if (pattern.Parse(trimmed) is { Success: true } local)
                return InstantPattern.ExtendedIso.Format(local.Value.InZoneLeniently(ElSalvador.TimeZone).ToInstant());
        return trimmed;
    }

    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm"),
    ];

    public static async Task<IResult> Account(
        string affiliationNumber,
        string? on,
        string? asOf,
        HttpContext context,
        IQuerySession session,
        IDocumentStore store,
        IClock clock,
        Regime regime,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        var instantText = AsOfInstant(asOf);
        Html form = $"""
            <form method="get" action="/console/accounts/{affiliationNumber}" class="card inline">
            <label>{page.T("On (business date)")} <input type="date" name="on" value="{on}"></label>
            <label>{page.T(
                "As known at (El Salvador time, or ISO 8601)"
            )} <input type="text" name="asOf" value="{asOf}" placeholder="2026-11-23 14:05:00" maxlength="40"></label>
            <button type="submit">{page.T("Show")}</button>
            {(
                string.IsNullOrWhiteSpace(on) && string.IsNullOrWhiteSpace(asOf)
                    ? Html.Empty
                    : (Html)$"<a href=\"/console/accounts/{affiliationNumber}\">{page.T("Today, as known now")}</a>"
            )}
            </form>
            """;
        var (account, date, known, problem) = await AsKnown.OnDateAsync(
            session,
            affiliationNumber,
            on,
            instantText,
            clock,
            regime,
            ct
        );
        if (problem is not null)
            return page.Render(
                $"{page.T("Account")} {affiliationNumber}",
                $"{form}{ConsoleProblems.Box(page, problem)}",
                ConsoleProblems.StatusOf(problem)
            );
        Wire.TryInstantOrNow(instantText, out var instant);
        var a = account!;
        var summary = AccountSummary.Of(a, date, known);
        var rights = RightsAnswer.Of(a, date, known);
        var standing = Standing.On(a, date, known);
        Html asKnown = instant is { } at
            ? (Html)
                $"<p class=\"asof\" role=\"status\">{string.Format(page.T("As the ledger knew it at {0} (El Salvador time): version {1}."), ConsolePage.Time(at), a.Version)}</p>"
            : Html.Empty;

        var sections = new List<Html>
        {
            asKnown,
            SummarySection(page, summary, date),
            RightsSection(page, rights, a, standing, date, known),
        };
        if (page.May(Roles.ReadArrears))
            sections.Add(ArrearsSection(page, ArrearsStatement.Of(a, standing, date)));
        if (page.May(Roles.Audit))
        {
            sections.Add(await TimelineAsync(page, affiliationNumber, instant, store, session, ct));
            sections.Add(await ChainAsync(page, affiliationNumber, store, ct));
        }
        return page.Render($"{page.T("Account")} {a.Id} · {a.FullName}", $"{form}{sections}");
    }

    private static Html SummarySection(ConsolePage page, AccountSummary s, LocalDate date) =>
        $"""
            <section class="card" id="summary">
            <h2>{page.T("Summary")} ({Dates.Format(date)})</h2>
            <dl class="columns">
            <dt>{page.T("Name")}</dt><dd>{s.FullName}</dd>
            <dt>DUI</dt><dd>{s.Dui}</dd>
            <dt>{page.T("Birth date")}</dt><dd>{s.BirthDate}</dd>
            <dt>{page.T("Country of residence")}</dt><dd>{s.CountryOfResidence}</dd>
            <dt>{page.T("E-mail")}</dt><dd>{s.Email}</dd>
            <dt>{page.T("Enrolled on")}</dt><dd>{s.EnrolledOn}</dd>
            <dt>{page.T("First period")}</dt><dd>{s.FirstPeriod}</dd>
            <dt>{page.T("Status")}</dt><dd><strong>{page.T(s.Status)}</strong></dd>
            <dt>{page.T("Paid through")}</dt><dd>{s.PaidThrough ?? "—"}</dd>
            <dt>{page.T("Arrears")}</dt><dd class="num">{page.Money(s.ArrearsTotal)}</dd>
            <dt>{page.T("Credit")}</dt><dd class="num">{page.Money(s.Credit)}</dd>
            <dt>{page.T("Last payable period")}</dt><dd>{s.LastPayablePeriod
                ?? "—"} ({s.MonthsPayableInAdvance} {page.T("months payable")})</dd>
            <dt>{page.T("Refunds due")}</dt><dd class="num">{page.Money(s.RefundsTotal)}</dd>
            <dt>{page.T("Version")}</dt><dd>{s.Version}</dd>
            </dl>
            <h3>{page.T("Episodes")}</h3>
            <table><thead><tr><th>#</th><th>{page.T("Enrolled on")}</th><th>{page.T("First period")}</th><th>{page.T(
                "Returned on"
            )}</th><th>{page.T("Covered until")}</th><th>{page.T("Ended on")}</th><th>{page.T("Why")}</th></tr></thead>
            <tbody>{s.Episodes.Select(e =>
                (Html)
                    $"<tr><td>{e.Number}</td><td>{e.EnrolledOn}</td><td>{e.FirstPeriod}</td><td>{e.ReturnedOn}</td><td>{e.CoveredUntil}</td><td>{e.EndedOn}</td><td>{e.EndReason}</td></tr>"
            )}</tbody></table>
            </section>
            """;

    private static Html RightsSection(
        ConsolePage page,
        RightsAnswer r,
        Account account,
        Standing standing,
        LocalDate date,
        Regime regime
    )
    {
        var months = standing.Episode is { } episode
            ? WaitingPeriod.MonthsWithRights(account, episode, date, regime)
            : 0;
        Html family =
            r.Beneficiaries.Count == 0
                ? (Html)$"<p class=\"empty\">{page.T("No beneficiaries on this date.")}</p>"
                : (Html)
                    $"""
                        <table><thead><tr><th>{page.T("Name")}</th><th>{page.T("Relationship")}</th><th>{page.T(
                            "Birth date"
                        )}</th><th>{page.T("Covered")}</th></tr></thead>
                        <tbody>{r.Beneficiaries.Select(b =>
                            (Html)
                                $"<tr><td>{b.Name}</td><td>{page.T(b.Relationship)}</td><td>{b.BirthDate}</td><td>{BankFilesPages.Check(page, b.Covered)}</td></tr>"
                        )}</tbody></table>
                        """;
        return $"""
            <section class="card" id="rights">
            <h2>{page.T("Rights on")} {r.On}</h2>
            <p class="{(r.Covered ? "ok" : "bad")} big">{(
                r.Covered ? page.T("Covered") : page.T("Not covered")
            )} · {page.T(r.Status)}{(
                r.CoveredThrough is { } through ? (Html)$" · {page.T("covered through")} {through}" : Html.Empty
            )}</p>
            <h3>{page.T("Waiting period")}</h3>
            <p>{string.Format(
                page.T("{0} of {1} months with rights counted."),
                Math.Min(months, WaitingPeriod.Months),
                WaitingPeriod.Months
            )} {page.T("Restricted services")}: {BankFilesPages.Check(
                page,
                r.RestrictedServicesCovered
            )} <span class="hint">({string.Join(", ", r.RestrictedServices)})</span></p>
            <h3>{page.T("Family group")}</h3>
            {family}
            </section>
            """;
    }

    private static Html ArrearsSection(ConsolePage page, ArrearsStatement s) =>
        $"""
            <section class="card" id="arrears">
            <h2>{page.T("Arrears on")} {s.On}</h2>
            {(s.Periods.Count == 0
                ? (Html)$"<p class=\"empty\">{page.T("Nothing is overdue.")}</p>"
                : (Html)$"<table><thead><tr><th>{page.T("Period")}</th><th>{page.T("Due date")}</th><th>{page.T("Contribution")}</th><th>{page.T("Days late")}</th><th>{page.T("Surcharge rate")}</th><th>{page.T("Surcharge")}</th><th>{page.T("Total")}</th></tr></thead><tbody>{s.Periods.Select(p => (Html)$"<tr><td>{p.Period}</td><td>{p.DueDate}</td><td class=\"num\">{page.Money(p.Base)}</td><td class=\"num\">{p.DaysLate}</td><td class=\"num\">{p.SurchargeRate:P0}</td><td class=\"num\">{page.Money(p.Surcharge)}</td><td class=\"num\">{page.Money(p.Total)}</td></tr>")}</tbody><tfoot><tr><th colspan=\"6\">{page.T("Total")}</th><td class=\"num\">{page.Money(s.Total)}</td></tr></tfoot></table>")}
            </section>
            """;

    /// <summary>Every event of the stream, newest first, with who recorded it; those recorded after the instant asked
    /// about are marked as not yet known then.</summary>
    private static async Task<Html> TimelineAsync(
        ConsolePage page,
        string affiliationNumber,
        Instant? asOf,
        IDocumentStore store,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var events = await session.Events.FetchStreamAsync(affiliationNumber, token: ct);
        var serializer = store.Options.Serializer();
        var items = events
            .OrderByDescending(e => e.Version)
            .Take(TimelineEvents)
            .Select(e =>
            {
                var later = asOf is { } at && Instant.FromDateTimeOffset(e.Timestamp) > at;
                var data = PlainJson.Of(serializer.ToJson(e.Data));
                if (data.Length > 600)
                    data = data[..600] + "…";
                return (Html)
                    $"""
                        <li class="{(later ? "later" : "known")}">
                        <div class="when"><span class="version">v{e.Version}</span> <time>{ConsolePage.Time(
                            e.Timestamp
                        )}</time></div>
                        <div class="what"><strong>{e.EventTypeName}</strong> · {page.T(
                            "recorded by"
                        )} <span class="who">{e.UserName}</span>{(
                            later ? (Html)$" <em>({page.T("not yet known at that instant")})</em>" : Html.Empty
                        )}
                        <code>{data}</code></div>
                        </li>
                        """;
            });
        return $"""
            <section class="card" id="history">
            <h2>{page.T("History")} ({events.Count})</h2>
            <ol class="timeline">{items}</ol>
            </section>
            """;
    }

    private static async Task<Html> ChainAsync(
        ConsolePage page,
        string affiliationNumber,
        IDocumentStore store,
        CancellationToken ct
    )
    {
        var result = await new ChainVerifier(store).VerifyStreamAsync(affiliationNumber, ct);
        if (result is null)
            return Html.Empty;
        Html outcome = result.BrokenLink is { } broken
            ? (Html)
                $"<p class=\"bad big\">✗ {page.T("The chain is broken at version")} {broken.Version}: <span class=\"text\">{broken.Reason}</span></p><p class=\"hash\">{page.T("Expected")} {broken.ExpectedHash}<br>{page.T("Found")} {broken.FoundHash}</p>"
            : (Html)
                $"<p class=\"ok big\">✓ {page.T("The hash chain is intact")}: {result.Events} {page.T("events")}, {page.T("head")} v{result.HeadVersion}</p><p class=\"hash\">{result.HeadHash}</p>";
        return $"""
            <section class="card" id="chain">
            <h2>{page.T("Hash-chain check")}</h2>
            {outcome}
            </section>
            """;
    }
}
