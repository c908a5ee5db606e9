using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.BankFiles;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// A file's reconciliation (SPEC §3): money received against money applied, by outcome. <c>Balanced</c>: the money
/// read adds up. <c>Unread</c>: the malformed lines (their count is <c>Outcomes.Malformed</c>), the first ones with
/// their reason and raw text. <c>Statements</c>: each camt.053 statement against its own totals. <c>AllRead</c>: no
/// malformed line and no statement difference.
/// </summary>
public sealed record BankFileSummary(
    string FileId,
    string Status,
    int Lines,
    int AlreadyRecorded,
    IReadOnlyDictionary<string, int> Outcomes,
    decimal Received,
    decimal Contributions,
    decimal Surcharges,
    decimal Credits,
    decimal Suspense,
    decimal RefundsDue,
    decimal DuplicateAmount,
    bool Balanced,
    bool AllRead,
    IReadOnlyList<UnreadLine> Unread,
    IReadOnlyList<StatementCheck> Statements
)
{
    public static BankFileSummary Of(BankFileReconciliation f, int alreadyRecorded) =>
        new(
            f.Id,
            f.Status.ToString(),
            f.Lines,
            alreadyRecorded,
            Enum.GetValues<LineOutcome>().ToDictionary(o => o.ToString(), o => f.Outcomes.GetValueOrDefault(o)),
            f.Received,
            f.Contributions,
            f.Surcharges,
            f.Credits,
            f.Suspense,
            f.RefundsDue,
            f.DuplicateAmount,
            f.Balanced,
            f.AllRead,
            f.Unread,
            f.Statements
        );
}

public sealed record BankFileLineView(
    int Line,
    string Outcome,
    string? BankCode,
    string? TransactionId,
    string? AffiliationNumber,
    string? PaidOn,
    decimal Amount,
    decimal Contributions,
    decimal Surcharges,
    decimal Credit,
    decimal Suspense,
    decimal Refund,
    string? Reason
)
{
    public static BankFileLineView Of(BankFileLineRecorded l) =>
        new(
            l.Line,
            l.Outcome.ToString(),
            l.BankCode,
            l.TransactionId,
            l.AffiliationNumber,
            l.PaidOn is { } d ? Calendar.Dates.Format(d) : null,
            l.Amount,
            l.Contributions,
            l.Surcharges,
            l.Credit,
            l.Suspense,
            l.Refund,
            l.Reason
        );
}

public sealed record BankFileReport(
    BankFileSummary Summary,
    int Page,
    int PageSize,
    int TotalLines,
    IReadOnlyList<BankFileLineView> Lines
);

public static class BankFileEndpoints
{
    [WolverinePost("/api/bank-files", OperationId = "importBankFile")]
    [Tags(ApiAreas.BankFiles)]
    [EndpointSummary("Import a bank file and answer its reconciliation")]
    [RawBody(
        "The bank file: CSV (SPEC §5), a camt.053 statement (XML), or a multipart upload whose file part is the file.",
        "text/csv",
        "application/xml",
        "multipart/form-data"
    )]
    [Authorize(Roles = Roles.RecordPayments)]
    // Files are streamed to disk, never held in memory: their limit is their own, larger than a JSON body's.
    [RequestSizeLimit(Limits.BankFileBytes)]
    // No [Consumes]: routing would answer a wrong content type with a bare 415; FileBodyAsync names the problem
    // instead.
    [ProducesResponseType<BankFileSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(
        HttpContext context,
        IMessageBus bus,
        IClock clock,
        Banks.PartnerBankRegistry banks,
        CancellationToken ct
    )
    {
        var (body, problem) = await FileBodyAsync(context.Request, ct);
        if (problem is not null)
            return problem;
        try
        {
            var importer = new BankFileImporter(bus, Recording.Of(context), banks.Banks, clock);
            var result = await importer.ImportAsync(body!, ct);
            return Results.Ok(BankFileSummary.Of(result.File, result.AlreadyRecorded));
        }
        catch (BankFileRefused e)
        {
            return Problems.Invalid("body", e.Message);
        }
    }

    /// <summary>
    /// The file itself: the body (CSV or camt.053 XML), read as a stream, or the one file part of a multipart upload,
    /// spooled to a temporary file (deleted with the request) so that the rest of the upload is read before anything
    /// is imported: a second file part would otherwise be ignored without a word (its money never imported), and an
    /// upload cut off or malformed would fail halfway through the import's copy (a 500). Other parts (form fields) are
    /// skipped. Anything else is named as the problem it is. The console's upload reads its file the same way.
    /// </summary>
    public static async Task<(Stream? Body, IResult? Problem)> FileBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await MultipartFileAsync(request, contentType, ct);
        // A JSON body or a form would be read as lines of garbage, so say so instead.
        string[] accepted = ["text/", "application/xml", "application/octet-stream"];
        if (!accepted.Any(a => contentType.StartsWith(a, StringComparison.OrdinalIgnoreCase)))
            return (
                null,
                Problems.Invalid(
                    "body",
                    "The body must be the bank file: CSV (Content-Type: text/csv), camt.053 XML (application/xml), or a multipart upload."
                )
            );
        return (request.Body, null);
    }

    /// <summary>RFC 2046: a boundary has 1 to 70 characters.</summary>
    private const int MaxBoundaryLength = 70;

    private static async Task<(Stream? Body, IResult? Problem)> MultipartFileAsync(
        HttpRequest request,
        string contentType,
        CancellationToken ct
    )
    {
        var boundary = MediaTypeHeaderValue.TryParse(contentType, out var media)
            ? HeaderUtilities.RemoveQuotes(media.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
            return (null, Problems.Invalid("body", "The multipart upload has no boundary."));
        if (boundary.Length > MaxBoundaryLength)
            return (
                null,
                Problems.Invalid(
                    "body",
                    $"The multipart boundary has {boundary.Length} characters; at most {MaxBoundaryLength} (RFC 2046)."
                )
            );
        Stream? file = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (
                    !ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition()
                )
                    continue;
                if (file is not null)
                    return (
                        null,
                        Problems.Invalid(
                            "file",
                            "The multipart upload has more than one file part: one bank file per upload, "
                                + "so that each is reconciled on its own. Nothing was imported."
                        )
                    );
                file = new FileStream(
                    Path.GetTempFileName(),
                    FileMode.Create,
                    FileAccess.ReadWrite,
                    FileShare.None,
                    64 * 1024,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous
                );
                request.HttpContext.Response.RegisterForDisposeAsync(file);
                await section.Body.CopyToAsync(file, ct);
            }
        }
        // The reader's own refusals: the body ends before its closing boundary (cut off, or no boundary at all), or a
        // part's headers pass its 16 KiB limit. (Kestrel's, a body over the size limit, stay a 413.)
        catch (Exception e)
            when (e is IOException or InvalidDataException
                && e is not BadHttpRequestException
                && !ct.IsCancellationRequested
            )
        {
            return (
                null,
                Problems.Invalid(
                    "body",
                    "The multipart upload cannot be read: "
                        + (e is InvalidDataException ? e.Message.TrimEnd('.') : "it ends before its closing boundary")
                        + " (cut off, or not multipart as its Content-Type says). Nothing was imported."
                )
            );
        }
        if (file is null)
            return (
                null,
                Problems.Invalid(
                    "file",
                    "The multipart upload has no file part (Content-Disposition: form-data; name=\"file\"; filename=...)."
                )
            );
        file.Position = 0;
        return (file, null);
    }

    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 10_000;

    /// <summary>
    /// A file's reconciliation and its lines in order, a page at a time; with <c>Accept: text/csv</c>, every
    /// line as one CSV download, streamed from the database.
    /// </summary>
    [WolverineGet("/api/bank-files/{fileId}", OperationId = "getBankFile")]
    [Tags(ApiAreas.BankFiles)]
    [EndpointSummary("A file's reconciliation and its lines, a page at a time")]
    [ProducesCsv]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<BankFileReport>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Get(
        string fileId,
        int? page,
        int? pageSize,
        HttpRequest request,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var wire = new Wire();
        var number = wire.Page("page", page);
        var size = wire.PageSize("pageSize", pageSize, DefaultPageSize, MaxPageSize, "lines");
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        var file = await session.LoadAsync<BankFileReconciliation>(fileId, ct);
        if (file is null)
            return Problems.NotFound("fileId", $"No bank file has the id '{fileId}'.");

        var ordered = session.Query<BankFileLineRow>().Where(r => r.FileId == fileId).OrderBy(r => r.Line.Line);
        if (Csv.Wants(request))
            return Csv.Result(
                $"{fileId}.csv",
                LineColumns,
                ordered.ToAsyncEnumerable(ct).Select(r => LineFields(BankFileLineView.Of(r.Line)))
            );

        // A page past the file's last line is empty without asking the database (and the offset cannot overflow).
        var skip = (long)(number - 1) * size;
        var rows = skip >= file.Lines ? [] : await ordered.Skip((int)skip).Take(size).ToListAsync(ct);
        return Results.Ok(
            new BankFileReport(
                BankFileSummary.Of(file, file.Lines),
                number,
                size,
                file.Lines,
                rows.Select(r => BankFileLineView.Of(r.Line)).ToList()
            )
        );
    }

    /// <summary>The lines' CSV columns, here and in the console's download.</summary>
    public static readonly string[] LineColumns =
    [
        "line",
        "outcome",
        "bankCode",
        "transactionId",
        "affiliationNumber",
        "paidOn",
        "amount",
        "contributions",
        "surcharges",
        "credit",
        "suspense",
        "refund",
        "reason",
    ];

    public static IEnumerable<object?> LineFields(BankFileLineView l) =>
        [
            l.Line,
            l.Outcome,
            l.BankCode,
            l.TransactionId,
            l.AffiliationNumber,
            l.PaidOn,
            l.Amount,
            l.Contributions,
            l.Surcharges,
            l.Credit,
            l.Suspense,
            l.Refund,
            l.Reason,
        ];
}
