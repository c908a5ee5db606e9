using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Npgsql;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;
using Salex.Projections.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>The daily message that records the ledger's digest (scheduled by Wolverine, like the lapse sweep).</summary>
public sealed record RecordLedgerDigest;

public sealed record DigestView(
    string Date, DateTimeOffset At, string Digest, int Streams, long Events, long UpToSequence, long Version,
    string? Signature = null, string? KeyId = null);

/// <summary>A recorded digest, recomputed now from the chain's heads: <c>matches</c> is false if history was rewritten since.</summary>
public sealed record DigestCheck(string Date, DateTimeOffset At, string Digest, int Streams, long Events, long UpToSequence, long Version,
    string Recomputed, bool Matches);

/// <summary>
/// The ledger digest: one SHA-256 over every stream's head hash (<see cref="LedgerDigest"/>), recorded as an event
/// on its own stream so the institute can publish or sign it elsewhere. The heads are those of the events with a
/// sequence up to the highest one seen when the digest was made, so the same digest can be recomputed later.
/// </summary>
public static class LedgerDigests
{
    public const string StreamId = "ledger-digest";

    public static async Task<DigestView> RecordAsync(
        IDocumentStore store, IClock clock, DigestArchive archive, string recordedBy, CancellationToken ct)
    {
        var upTo = await MaxSequenceAsync(store, ct);
        var heads = await HeadsAsync(store, upTo, ct);
        var now = clock.GetCurrentInstant();
        var recorded = new LedgerDigestRecorded(ElSalvador.DateOf(now), now, LedgerDigest.Hash(heads), heads.Count,
            heads.Sum(h => h.Version), upTo);
        if (archive.Signature is { CanSign: true } signature)
            recorded = recorded with { Signature = signature.Sign(recorded), KeyId = signature.KeyId };

        await using var session = store.LightweightSession();
        session.LastModifiedBy = recordedBy;
        session.SetHeader("recordedBy", recordedBy);
        session.SetHeader("channel", "system");
        session.Events.Append(StreamId, recorded);
        await session.SaveChangesAsync(ct);
        var state = await session.Events.FetchStreamStateAsync(StreamId, ct);
        // After the commit: an archived digest is always one the ledger recorded.
        await archive.WriteAsync(ArchivedDigest.Of(recorded, state?.Version ?? 0, archive.Signature?.PublicKeyPem, heads), ct);
        return View(recorded, state?.Version ?? 0);
    }

    public static async Task<IReadOnlyList<DigestView>> ListAsync(IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(StreamId, token: ct);
        return events.Where(e => e.Data is LedgerDigestRecorded).Select(e => View((LedgerDigestRecorded)e.Data, e.Version)).ToList();
    }

    /// <summary>
    /// Every stream's head among the events with a sequence up to <paramref name="upToSequence"/>; the digest stream
    /// itself and Marten's tombstones are left out.
    /// </summary>
    public static async Task<IReadOnlyList<StreamHead>> HeadsAsync(IDocumentStore store, long upToSequence, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select distinct on (e.stream_id) e.stream_id, e.version, coalesce(h.hash, '')
            from {schema}.mt_events e
            left join {schema}.{EventChainSchema.HashesTable} h on h.stream_id = e.stream_id and h.version = e.version
            where e.seq_id <= @upTo and e.stream_id <> @digest and e.stream_id <> @tombstones
            order by e.stream_id, e.version desc
            """, connection);
        command.Parameters.AddWithValue("upTo", upToSequence);
        command.Parameters.AddWithValue("digest", StreamId);
        // Marten's tombstones fill sequence numbers of failed commits, possibly below a digest's mark after it was
        // made: not ledger content, and they would make a later recomputation differ.
        command.Parameters.AddWithValue("tombstones", ChainVerifier.TombstoneStream);
        var heads = new List<StreamHead>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) heads.Add(new StreamHead(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        heads.Sort((a, b) => string.CompareOrdinal(a.StreamId, b.StreamId));
        return heads;
    }

    private static async Task<long> MaxSequenceAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<long>(
            $"select coalesce(max(seq_id), 0) from {store.Options.Events.DatabaseSchemaName}.mt_events", ct);
        return rows[0];
    }

    private static DigestView View(LedgerDigestRecorded d, long version) =>
        new(Dates.Format(d.Date), d.At.ToDateTimeOffset(), d.Digest, d.Streams, d.Events, d.UpToSequence, version,
            d.Signature, d.KeyId);
}

public static class RecordLedgerDigestHandler
{
    public static async Task Handle(RecordLedgerDigest message, IDocumentStore store, IClock clock, DigestArchive archive,
        ILogger<RecordLedgerDigest> logger, CancellationToken ct)
    {
        var digest = await LedgerDigests.RecordAsync(store, clock, archive, "ledger-digest", ct);
        logger.LogInformation("Ledger digest of {Date}: {Digest} over {Streams} streams, {Events} events", digest.Date, digest.Digest, digest.Streams, digest.Events);
    }
}

public static class DigestEndpoints
{
    /// <summary>Records a digest now (admin); the daily schedule does the same at 00:45 El Salvador time.</summary>
    [WolverinePost("/api/admin/digest")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<DigestView>(201)]
    public static async Task<IResult> Post(HttpContext context, IDocumentStore store, IClock clock, DigestArchive archive,
        CancellationToken ct)
    {
        var who = context.User.Identity?.Name ?? "admin";
        var digest = await LedgerDigests.RecordAsync(store, clock, archive, who, ct);
        return Results.Created($"/api/digests/{digest.Date}", digest);
    }

    /// <summary>Every recorded digest in order; <c>Accept: text/csv</c> downloads them as CSV.</summary>
    [WolverineGet("/api/digests")]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<IReadOnlyList<DigestView>>(200)]
    public static async Task<IResult> All(HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        var digests = await LedgerDigests.ListAsync(session, ct);
        if (!Csv.Wants(request)) return Results.Ok(digests);
        return Csv.Result("ledger-digests.csv", ["date", "at", "digest", "streams", "events", "upToSequence", "version"],
            digests.Select(d => new object?[] { d.Date, d.At, d.Digest, d.Streams, d.Events, d.UpToSequence, d.Version }));
    }

    /// <summary>
    /// The last digest recorded on that date as archived outside the database when it was made: the signed digest,
    /// the public key and every stream's head, for an auditor to check offline (or with <c>verify-ledger --digest</c>).
    /// </summary>
    [WolverineGet("/api/digests/{date}/signed")]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<ArchivedDigest>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Signed(string date, IQuerySession session, DigestArchive archive, CancellationToken ct)
    {
        if (!Dates.TryParse(date, out var day)) return Problems.BadDate("date", date);
        var digest = (await LedgerDigests.ListAsync(session, ct)).LastOrDefault(d => d.Date == Dates.Format(day));
        if (digest is null) return Problems.NotFound("date", $"No digest was recorded on {Dates.Format(day)}.");
        ArchivedDigest? archived;
        try
        {
            archived = await archive.OfVersionAsync(digest.Version, ct);
        }
        catch (InvalidDataException)
        {
            return Problems.NotFound("date", $"The archived file of the digest of {Dates.Format(day)} is damaged: it holds no digest.");
        }
        return archived is null
            ? Problems.NotFound("date", $"The digest of {Dates.Format(day)} is not in this node's archive ({archive.Folder ?? "none configured"}).")
            : Results.Ok(archived);
    }

    /// <summary>
    /// The last digest recorded on that date, with the digest recomputed now from the same heads.
    /// <c>Accept: text/csv</c> downloads its inputs instead: one row per stream (id, version, head hash).
    /// </summary>
    [WolverineGet("/api/digests/{date}")]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<DigestCheck>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> OneDate(string date, HttpRequest request, IDocumentStore store, IQuerySession session, CancellationToken ct)
    {
        if (!Wire.TryDate(date, out var day)) return Problems.BadDate("date", date);
        var digest = (await LedgerDigests.ListAsync(session, ct)).LastOrDefault(d => d.Date == Dates.Format(day));
        if (digest is null) return Problems.NotFound("date", $"No digest was recorded on {Dates.Format(day)}.");

        var heads = await LedgerDigests.HeadsAsync(store, digest.UpToSequence, ct);
        if (Csv.Wants(request))
            return Csv.Result($"ledger-digest-{digest.Date}.csv", ["streamId", "version", "headHash"],
                heads.Select(h => new object?[] { h.StreamId, h.Version, h.Hash }));
        var recomputed = LedgerDigest.Hash(heads);
        return Results.Ok(new DigestCheck(digest.Date, digest.At, digest.Digest, digest.Streams, digest.Events, digest.UpToSequence, digest.Version,
            recomputed, recomputed == digest.Digest));
    }
}
