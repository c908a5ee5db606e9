using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>A file's reconciliation (SPEC §3): money received against money applied, by outcome.</summary>
public sealed record BankFileSummary(
    string FileId, string Status, int Lines, int AlreadyRecorded, IReadOnlyDictionary<string, int> Outcomes,
    decimal Received, decimal Contributions, decimal Surcharges, decimal Credits, decimal Suspense, decimal RefundsDue,
    decimal DuplicateAmount, bool Balanced)
{
    public static BankFileSummary Of(BankFileReconciliation f, int alreadyRecorded) => new(
        f.Id, f.Status.ToString(), f.Lines, alreadyRecorded,
        Enum.GetValues<LineOutcome>().ToDictionary(o => o.ToString(), o => f.Outcomes.GetValueOrDefault(o)),
        f.Received, f.Contributions, f.Surcharges, f.Credits, f.Suspense, f.RefundsDue, f.DuplicateAmount, f.Balanced);
}

public sealed record BankFileLineView(
    int Line, string Outcome, string? BankCode, string? TransactionId, string? AffiliationNumber, string? PaidOn, decimal Amount,
    decimal Contributions, decimal Surcharges, decimal Credit, decimal Suspense, decimal Refund, string? Reason);

public sealed record BankFileReport(BankFileSummary Summary, IReadOnlyList<BankFileLineView> Lines);

public static class BankFileEndpoints
{
    [WolverinePost("/api/bank-files")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes("text/csv")]
    [ProducesResponseType<BankFileSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(HttpContext context, IDocumentStore store, IClock clock, Regime regime, CancellationToken ct)
    {
        // The body is the CSV itself; JSON or a form would be read as lines of garbage, so say so instead.
        var contentType = context.Request.ContentType ?? "";
        if (!(contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)))
            return Problems.Invalid("body", "The body must be the bank file as CSV (Content-Type: text/csv).");
        // Files are streamed to disk, never held in memory, so Kestrel's 30 MB default body limit is not needed here.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        try
        {
            var importer = new BankFileImporter(store, regime, clock);
            var result = await importer.ImportAsync(context.Request.Body, () => store.OpenSession(context), ct);
            return Results.Ok(BankFileSummary.Of(result.File, result.AlreadyRecorded));
        }
        catch (BankFileRefused e)
        {
            return Problems.Invalid("body", e.Message);
        }
    }

    [WolverineGet("/api/bank-files/{fileId}")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<BankFileReport>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Get(string fileId, IQuerySession session, CancellationToken ct)
    {
        var file = await session.LoadAsync<BankFileReconciliation>(fileId, ct);
        if (file is null) return Problems.NotFound("fileId", $"No bank file has the id '{fileId}'.");
        var rows = await session.Query<BankFileLineRow>().Where(r => r.FileId == fileId).OrderBy(r => r.Line.Line).ToListAsync(ct);
        var lines = rows.Select(r => r.Line).Select(l => new BankFileLineView(l.Line, l.Outcome.ToString(), l.BankCode, l.TransactionId,
            l.AffiliationNumber, l.PaidOn is { } d ? Calendar.Dates.Format(d) : null, l.Amount,
            l.Contributions, l.Surcharges, l.Credit, l.Suspense, l.Refund, l.Reason)).ToList();
        return Results.Ok(new BankFileReport(BankFileSummary.Of(file, file.Lines), lines));
    }
}
