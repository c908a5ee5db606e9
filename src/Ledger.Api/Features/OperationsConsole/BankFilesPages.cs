using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Http.Features;
using NodaTime;
using Salex.Ledger.Api.Features.Banks;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Wolverine;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// Bank files: the upload (through <see cref="BankFileImporter"/>, as <c>POST /api/bank-files</c>), the files received
/// with their status, and one file's reconciliation and lines, filtered by outcome, with the lines as CSV.
/// </summary>
public static class BankFilesPages
{
    public const int ListedFiles = 100;
    public const int LinesPerPage = 200;

    public static async Task<IResult> List(HttpContext context, IQuerySession session, CancellationToken ct)
    {
        var page = new ConsolePage(context);
        return page.Render(page.T("Bank files"), await Body(page, session, null, ct));
    }

    private static async Task<Html> Body(ConsolePage page, IQuerySession session, Html? problem, CancellationToken ct)
    {
        // The newest files first, each with who sent it and when (the stream's first event).
        var received = await session
            .Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(BankFileReceived)))
            .OrderByDescending(e => e.Sequence)
            .Take(ListedFiles)
            .ToListAsync(ct);
        var files = (
            await session.LoadManyAsync<BankFileReconciliation>(ct, received.Select(e => e.StreamKey!).ToArray())
        ).ToDictionary(f => f.Id);
        var rows = received.Select(e =>
        {
            var r = (BankFileReceived)e.Data;
            files.TryGetValue(r.FileId, out var f);
            return (Html)
                $"""
                    <tr><td><a href="/console/bank-files/{r.FileId}">{r.FileId}</a></td><td>{ConsolePage.Time(
                        e.Timestamp
                    )}</td>
                    <td>{e.UserName}</td><td>{r.Format}</td><td class="num">{r.Bytes:N0}</td>
                    <td>{page.T(f?.Status.ToString() ?? "Importing")}</td><td class="num">{f?.Lines ?? 0:N0}</td>
                    <td class="num">{page.Money(f?.Received ?? 0m)}</td>
                    <td>{Check(page, f?.Balanced ?? false)}</td><td>{Check(page, f?.AllRead ?? false)}</td></tr>
                    """;
        });
        Html upload = page.May(Roles.RecordPayments) ? UploadForm(page) : Html.Empty;
        Html list =
            received.Count == 0
                ? (Html)$"<p class=\"empty\">{page.T("No bank file has been imported yet.")}</p>"
                : (Html)
                    $"""
                        <table>
                        <thead><tr><th>{page.T("File")}</th><th>{page.T("Received at")}</th><th>{page.T(
                            "Sent by"
                        )}</th><th>{page.T("Format")}</th><th>{page.T("Bytes")}</th><th>{page.T(
                            "Status"
                        )}</th><th>{page.T("Lines")}</th><th>{page.T("Received")}</th><th>{page.T(
                            "Balanced"
                        )}</th><th>{page.T("All read")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                        </table>
                        """;
        return $"{problem}{upload}<h2>{page.T("Files received")}</h2>{list}";
    }

    private static Html UploadForm(ConsolePage page) =>
        $"""
            <form id="upload" class="card" method="post" action="/console/bank-files" enctype="multipart/form-data" data-csrf="{page.AntiforgeryToken}">
            {page.AntiforgeryField}
            <label for="file">{page.T("Bank file (CSV or camt.053 XML)")}</label>
            <input id="file" name="file" type="file" required accept=".csv,.txt,.xml,text/csv,application/xml,text/xml">
            <button type="submit">{page.T("Import")}</button>
            <div class="progress" hidden><progress id="upload-progress" max="100" value="0"></progress> <span id="upload-status" aria-live="polite"></span></div>
            <p class="hint" data-sending="{page.T("Sending")}" data-importing="{page.T(
                "Sent; the ledger is recording the lines…"
            )}">{page.T("The same file imported again is recognised and only its missing lines are recorded.")}</p>
            </form>
            """;

    public static Html Check(ConsolePage page, bool ok) =>
        ok
            ? (Html)$"<span class=\"ok\">✓ {page.T("yes")}</span>"
            : (Html)$"<span class=\"bad\">✗ {page.T("no")}</span>";

    public static async Task<IResult> Upload(
        HttpContext context,
        IMessageBus bus,
        IClock clock,
        PartnerBankRegistry banks,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var page = new ConsolePage(context);
        // The script sends the token as a header and the file is streamed as the API streams it; a plain form post
        // (no script) carried the token in the form, which antiforgery has read already.
        Stream? body;
        IResult? problem = null;
        if (context.Features.Get<IFormFeature>()?.Form is { } form)
        {
            body = form.Files.GetFile("file") is { Length: > 0 } file ? file.OpenReadStream() : null;
            if (body is null)
                problem = Problems.Invalid("file", "Choose the bank file to import.");
        }
        else
            (body, problem) = await BankFileEndpoints.FileBodyAsync(context.Request, ct);
        if (problem is null)
        {
            try
            {
                var importer = new BankFileImporter(bus, Recording.Of(context), banks.Banks, clock);
                var result = await importer.ImportAsync(body!, ct);
                return Results.Redirect($"/console/bank-files/{Uri.EscapeDataString(result.File.Id)}");
            }
            catch (BankFileRefused e)
            {
                problem = Problems.Invalid("body", e.Message);
            }
        }
        return page.Render(
            page.T("Bank files"),
            await Body(page, session, ConsoleProblems.Box(page, problem), ct),
            ConsoleProblems.StatusOf(problem)
        );
    }

    public static async Task<IResult> File(
        string fileId,
        string? outcome,
        int? page,
        HttpContext context,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var p = new ConsolePage(context);
        var file = await session.LoadAsync<BankFileReconciliation>(fileId, ct);
        if (file is null)
            return p.Problem(Problems.NotFound("fileId", $"No bank file has the id '{fileId}'."), p.T("Not found"));
        LineOutcome? wanted = null;
        if (!string.IsNullOrEmpty(outcome))
        {
            if (!Enum.TryParse<LineOutcome>(outcome, ignoreCase: false, out var o) || !Enum.IsDefined(o))
                return p.Problem(
                    Problems.Invalid(
                        "outcome",
                        $"'{outcome}' is not a line outcome ({string.Join(", ", Enum.GetNames<LineOutcome>())})."
                    )
                );
            wanted = o;
        }
        var wire = new Wire();
        var number = wire.Page("page", page);
        if (wire.Refusals.Count > 0)
            return p.Problem(Problems.From(wire.Refusals));
        var query = session.Query<BankFileLineRow>().Where(r => r.FileId == fileId);
        if (wanted is { } w)
            query = query.Where(r => r.Line.Outcome == w);
        var total = wanted is { } c ? file.Outcomes.GetValueOrDefault(c) : file.Lines;
        var rows = await query
            .OrderBy(r => r.Line.Line)
            .Skip((number - 1) * LinesPerPage)
            .Take(LinesPerPage)
            .ToListAsync(ct);
        var summary = BankFileSummary.Of(file, file.Lines);

        var filters = new List<Html>
        {
            $"<a href=\"/console/bank-files/{fileId}\"{(wanted is null ? Html.Raw(" aria-current=\"true\"") : Html.Empty)}>{p.T("All")} ({file.Lines:N0})</a>",
        };
        filters.AddRange(
            summary
                .Outcomes.Where(o => o.Value > 0)
                .Select(o =>
                    (Html)
                        $"<a href=\"/console/bank-files/{fileId}?outcome={o.Key}\"{(wanted?.ToString() == o.Key ? Html.Raw(" aria-current=\"true\"") : Html.Empty)}>{p.T(o.Key)} ({o.Value:N0})</a>"
                )
        );
        var lines = rows.Select(r => BankFileLineView.Of(r.Line))
            .Select(l =>
                (Html)
                    $"""
                        <tr class="outcome-{l.Outcome}"><td class="num">{l.Line}</td><td>{p.T(
                            l.Outcome
                        )}</td><td>{l.BankCode}</td><td>{l.TransactionId}</td>
                        <td>{AccountLink(p, l.AffiliationNumber)}</td><td>{l.PaidOn}</td><td class="num">{p.Money(
                            l.Amount
                        )}</td>
                        <td class="num">{p.Money(l.Contributions)}</td><td class="num">{p.Money(
                            l.Surcharges
                        )}</td><td class="num">{p.Money(l.Credit)}</td>
                        <td class="num">{p.Money(l.Suspense)}</td><td class="num">{p.Money(
                            l.Refund
                        )}</td><td class="text">{l.Reason}</td></tr>
                        """
            );
        var pages = (total + LinesPerPage - 1) / LinesPerPage;
        var filter = wanted is null ? "" : $"outcome={wanted}&";
        Html pager =
            pages <= 1
                ? Html.Empty
                : (Html)
                    $"""<p class="pager">{(number > 1 ? (Html)$"<a href=\"/console/bank-files/{fileId}?{filter}page={number - 1}\">← {p.T("Previous")}</a>" : Html.Empty)} {p.T("Page")} {number} / {pages} {(number < pages ? (Html)$"<a href=\"/console/bank-files/{fileId}?{filter}page={number + 1}\">{p.T("Next")} →</a>" : Html.Empty)}</p>""";
        Html statements =
            summary.Statements.Count == 0
                ? Html.Empty
                : (Html)
                    $"""
                        <h2>{p.T("Statements")}</h2>
                        <table><thead><tr><th>{p.T("Statement")}</th><th>{p.T("Account")}</th><th>{p.T(
                            "Credits"
                        )}</th><th>{p.T("Credit amount")}</th><th>{p.T("Declared")}</th><th>{p.T(
                            "Passed over"
                        )}</th><th>{p.T("Unread")}</th><th>{p.T("Agrees")}</th></tr></thead>
                        <tbody>{summary.Statements.Select(s =>
                            (Html)
                                $"<tr><td>{s.Statement}</td><td>{s.Account}</td><td class=\"num\">{s.Credits}</td><td class=\"num\">{p.Money(s.CreditAmount)}</td><td class=\"num\">{(s.DeclaredCreditAmount is { } d ? p.Money(d) : "")}</td><td class=\"num\">{s.PassedOver}</td><td class=\"num\">{s.Unread}</td><td>{Check(p, s.Agrees)}</td></tr>"
                        )}</tbody></table>
                        """;
        Html unread =
            summary.Unread.Count == 0
                ? Html.Empty
                : (Html)
                    $"""
                        <h2>{p.T("Lines that could not be read")}</h2>
                        <ul class="unread">{summary.Unread.Select(u =>
                            (Html)$"<li>{p.T("Line")} {u.Line}: <span class=\"text\">{u.Reason}</span></li>"
                        )}</ul>
                        """;
        Html body = $"""
            <p><a href="/console/bank-files">← {p.T(
                "Bank files"
            )}</a> · <a href="/console/bank-files/{fileId}/lines.csv" download>{p.T(
                "Download the lines as CSV"
            )}</a></p>
            <section class="card summary">
            <dl>
            <dt>{p.T("Status")}</dt><dd>{p.T(summary.Status)}</dd>
            <dt>{p.T("Lines")}</dt><dd>{summary.Lines:N0}</dd>
            <dt>{p.T("Received")}</dt><dd class="num">{p.Money(summary.Received)}</dd>
            <dt>{p.T("Contributions")}</dt><dd class="num">{p.Money(summary.Contributions)}</dd>
            <dt>{p.T("Surcharges")}</dt><dd class="num">{p.Money(summary.Surcharges)}</dd>
            <dt>{p.T("Credits")}</dt><dd class="num">{p.Money(summary.Credits)}</dd>
            <dt>{p.T("Suspense")}</dt><dd class="num">{p.Money(summary.Suspense)}</dd>
            <dt>{p.T("Refunds due")}</dt><dd class="num">{p.Money(summary.RefundsDue)}</dd>
            <dt>{p.T("Duplicates (not counted)")}</dt><dd class="num">{p.Money(summary.DuplicateAmount)}</dd>
            <dt>{p.T("Suspense assigned later")}</dt><dd class="num">{p.Money(file.SuspenseAssigned)}</dd>
            <dt>{p.T("Suspense refunded later")}</dt><dd class="num">{p.Money(file.SuspenseRefunded)}</dd>
            </dl>
            <p class="invariant">{p.T(
                "received = contributions + surcharges + credits + suspense + refunds due"
            )}: {Check(p, summary.Balanced)} · {p.T("All read")}: {Check(p, summary.AllRead)}</p>
            </section>
            {statements}
            {unread}
            <h2>{p.T("Lines")}</h2>
            <p class="filters">{p.T("Outcome")}: {filters}</p>
            <table class="lines">
            <thead><tr><th>{p.T("Line")}</th><th>{p.T("Outcome")}</th><th>{p.T("Bank")}</th><th>{p.T(
                "Reference"
            )}</th><th>{p.T("Affiliation number")}</th><th>{p.T("Paid on")}</th><th>{p.T("Amount")}</th><th>{p.T(
                "Contributions"
            )}</th><th>{p.T("Surcharges")}</th><th>{p.T("Credit")}</th><th>{p.T("Suspense")}</th><th>{p.T(
                "Refund"
            )}</th><th>{p.T("Reason")}</th></tr></thead>
            <tbody>{lines}</tbody>
            </table>
            {pager}
            """;
        return p.Render($"{p.T("Bank file")} {fileId}", body);
    }

    public static Html AccountLink(ConsolePage page, string? affiliationNumber) =>
        string.IsNullOrEmpty(affiliationNumber) ? Html.Empty
        : page.May(Roles.ReadAccounts) && affiliationNumber.All(char.IsAsciiDigit)
            ? (Html)$"<a href=\"/console/accounts/{affiliationNumber}\">{affiliationNumber}</a>"
        : (Html)$"<span class=\"text\">{affiliationNumber}</span>";

    /// <summary>Every line as the API's CSV (<c>GET /api/bank-files/{id}</c> with <c>Accept: text/csv</c>).</summary>
    public static async Task<IResult> LinesCsv(
        string fileId,
        HttpContext context,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var file = await session.LoadAsync<BankFileReconciliation>(fileId, ct);
        if (file is null)
            return new ConsolePage(context).Problem(
                Problems.NotFound("fileId", $"No bank file has the id '{fileId}'.")
            );
        var ordered = session.Query<BankFileLineRow>().Where(r => r.FileId == fileId).OrderBy(r => r.Line.Line);
        return Csv.Result(
            $"{fileId}.csv",
            BankFileEndpoints.LineColumns,
            ordered.ToAsyncEnumerable(ct).Select(r => BankFileEndpoints.LineFields(BankFileLineView.Of(r.Line)))
        );
    }
}
