using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public static class DigestEndpoints
{
    /// <summary>Records a digest now (admin); the daily schedule does the same at 00:45 El Salvador time.</summary>
    [WolverinePost("/api/admin/digest", OperationId = "recordLedgerDigest")]
    [Tags(ApiAreas.Admin)]
    [EndpointSummary("Record a ledger digest now")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<DigestView>(201)]
    public static async Task<IResult> Post(
        HttpContext context,
        IDocumentStore store,
        IClock clock,
        DigestArchive archive,
        CancellationToken ct
    )
    {
        var who = context.User.Identity?.Name ?? "admin";
        var digest = await LedgerDigests.RecordAsync(store, clock, archive, who, ct);
        return Results.Created($"/api/digests/{digest.Date}", digest);
    }

    /// <summary>Every recorded digest in order; <c>Accept: text/csv</c> downloads them as CSV.</summary>
    [WolverineGet("/api/digests", OperationId = "listLedgerDigests")]
    [Tags(ApiAreas.Audit)]
    [EndpointSummary("The recorded ledger digests")]
    [ProducesCsv]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<IReadOnlyList<DigestView>>(200)]
    public static async Task<IResult> All(HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        var digests = await LedgerDigests.ListAsync(session, ct);
        if (!Csv.Wants(request))
            return Results.Ok(digests);
        return Csv.Result(
            "ledger-digests.csv",
            ["date", "at", "digest", "streams", "events", "upToSequence", "version"],
            digests.Select(d =>
                new object?[] { d.Date, d.At, d.Digest, d.Streams, d.Events, d.UpToSequence, d.Version }
            )
        );
    }

    /// <summary>
    /// The last digest recorded on that date as archived outside the database when it was made: the signed digest,
    /// the public key and every stream's head, for an auditor to check offline (or with <c>verify-ledger --digest</c>).
    /// </summary>
    [WolverineGet("/api/digests/{date}/signed", OperationId = "getSignedDigest")]
    [Tags(ApiAreas.Audit)]
    [EndpointSummary("The digest of a date as archived outside the database, to verify offline")]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<ArchivedDigest>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Signed(
        string date,
        IQuerySession session,
        DigestArchive archive,
        CancellationToken ct
    )
    {
        if (!Dates.TryParse(date, out var day))
            return Problems.BadDate("date", date);
        var digest = (await LedgerDigests.ListAsync(session, ct)).LastOrDefault(d => d.Date == Dates.Format(day));
        if (digest is null)
            return Problems.NotFound("date", $"No digest was recorded on {Dates.Format(day)}.");
        ArchivedDigest? archived;
        try
        {
            archived = await archive.OfVersionAsync(digest.Version, ct);
        }
        catch (InvalidDataException)
        {
            return Problems.NotFound(
                "date",
                $"The archived file of the digest of {Dates.Format(day)} is damaged: it holds no digest."
            );
        }
        return archived is null
            ? Problems.NotFound(
                "date",
                $"The digest of {Dates.Format(day)} is not in this node's archive ({archive.Folder ?? "none configured"})."
            )
            : Results.Ok(archived);
    }

    /// <summary>
    /// The last digest recorded on that date, with the digest recomputed now from the same heads.
    /// <c>Accept: text/csv</c> downloads its inputs instead: one row per stream (id, version, head hash).
    /// </summary>
    [WolverineGet("/api/digests/{date}", OperationId = "checkLedgerDigest")]
    [Tags(ApiAreas.Audit)]
    [EndpointSummary("The digest of a date, recomputed now")]
    [ProducesCsv]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<DigestCheck>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> OneDate(
        string date,
        HttpRequest request,
        IDocumentStore store,
        IQuerySession session,
        CancellationToken ct
    )
    {
        if (!Wire.TryDate(date, out var day))
            return Problems.BadDate("date", date);
        var digest = (await LedgerDigests.ListAsync(session, ct)).LastOrDefault(d => d.Date == Dates.Format(day));
        if (digest is null)
            return Problems.NotFound("date", $"No digest was recorded on {Dates.Format(day)}.");

        var heads = await LedgerDigests.HeadsAsync(store, digest.UpToSequence, ct);
        if (Csv.Wants(request))
            return Csv.Result(
                $"ledger-digest-{digest.Date}.csv",
                ["streamId", "version", "headHash"],
                heads.Select(h => new object?[] { h.StreamId, h.Version, h.Hash })
            );
        var recomputed = LedgerDigest.Hash(heads);
        return Results.Ok(
            new DigestCheck(
                digest.Date,
                digest.At,
                digest.Digest,
                digest.Streams,
                digest.Events,
                digest.UpToSequence,
                digest.Version,
                recomputed,
                recomputed == digest.Digest
            )
        );
    }
}
