using Marten;
using NodaTime;
using Npgsql;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// The ledger digest: one SHA-256 over every stream's head hash (<see cref="LedgerDigest"/>), recorded as an event
/// on its own stream so the institute can publish or sign it elsewhere. The heads are those of the events with a
/// sequence up to the highest one seen when the digest was made, so the same digest can be recomputed later.
/// </summary>
public static class LedgerDigests
{
    public const string StreamId = "ledger-digest";

    public static async Task<DigestView> RecordAsync(
        IDocumentStore store,
        IClock clock,
        DigestArchive archive,
        string recordedBy,
        CancellationToken ct
    )
    {
        var upTo = await SettledSequenceAsync(store, ct);
        var heads = await HeadsAsync(store, upTo, ct);
        var now = clock.GetCurrentInstant();
        var recorded = new LedgerDigestRecorded(
            ElSalvador.DateOf(now),
            now,
            LedgerDigest.Hash(heads),
            heads.Count,
            heads.Sum(h => h.Version),
            upTo
        );
        if (archive.Signature is { CanSign: true } signature)
            recorded = recorded with { Signature = signature.Sign(recorded), KeyId = signature.KeyId };

        var version = await AppendAsync(store, recorded, recordedBy, ct);
        // After the commit: an archived digest is always one the ledger recorded.
        await archive.WriteAsync(ArchivedDigest.Of(recorded, version, archive.Signature?.PublicKeyPem, heads), ct);
        return View(recorded, version);
    }

    /// <summary>
    /// Appends the digest at the version after the stream's, and answers that version. Digests made at once (the
    /// schedule, the hourly check, an admin) race for the stream: the very first two both started it (a 500 for
    /// one), and a version read back after the commit could be the other's, so that the archive named the wrong
    /// event. The loser reads the stream again and appends after the winner.
    /// </summary>
    private static async Task<long> AppendAsync(
        IDocumentStore store,
        LedgerDigestRecorded recorded,
        string recordedBy,
        CancellationToken ct
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = recordedBy;
            session.SetHeader("recordedBy", recordedBy);
            session.SetHeader("channel", "system");
            var version = ((await session.Events.FetchStreamStateAsync(StreamId, ct))?.Version ?? 0) + 1;
            if (version == 1)
                session.Events.StartStream(StreamId, recorded);
            else
                session.Events.Append(StreamId, version, recorded);
            try
            {
                await session.SaveChangesAsync(ct);
                return version;
            }
            catch (Exception e) when (Conflicts.IsLostRace(e) && attempt < Conflicts.MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), ct);
            }
        }
    }

    /// <summary>What <see cref="ArchiveIfMissingAsync"/> did about a digest's file.</summary>
    public enum ArchiveRepair
    {
        NothingMissing,
        Written,
        HeadsNoLongerMatch,
        SignedByAnotherKey,
    }

    /// <summary>
    /// Writes a digest's archive file when it is missing: the process stopped between the digest's commit
    /// and its file (the digest is in the ledger, the archive outside it never got it). Its heads are recomputed from
    /// the digest's sequence (settled when it was made, so they are the ones it was made of) and written only if they
    /// still hash to the digest recorded; if they do not, the ledger changed under the digest, and nothing is written
    /// that would hide it. A damaged file is left as it is (it is evidence; verification reports it).
    /// </summary>
    public static async Task<ArchiveRepair> ArchiveIfMissingAsync(
        IDocumentStore store,
        DigestArchive archive,
        (long Version, LedgerDigestRecorded Digest) latest,
        CancellationToken ct
    )
    {
        var (version, recorded) = latest;
        if (archive.Folder is null)
            return ArchiveRepair.NothingMissing;
        try
        {
            if (await archive.OfVersionAsync(version, ct) is not null)
                return ArchiveRepair.NothingMissing;
        }
        catch (InvalidDataException)
        {
            return ArchiveRepair.NothingMissing;
        }
        if (recorded.KeyId is { } keyId && keyId != archive.Signature?.KeyId)
            return ArchiveRepair.SignedByAnotherKey;
        var heads = await HeadsAsync(store, recorded.UpToSequence, ct);
        if (LedgerDigest.Hash(heads) != recorded.Digest)
            return ArchiveRepair.HeadsNoLongerMatch;
        await archive.WriteAsync(ArchivedDigest.Of(recorded, version, archive.Signature?.PublicKeyPem, heads), ct);
        return ArchiveRepair.Written;
    }

    /// <summary>The digests the ledger holds, oldest first, with their versions on the digest stream.</summary>
    public static async Task<IReadOnlyList<(long Version, LedgerDigestRecorded Digest)>> RecordedAsync(
        IQuerySession session,
        CancellationToken ct
    ) =>
        [
            .. (await session.Events.FetchStreamAsync(StreamId, token: ct))
                .Where(e => e.Data is LedgerDigestRecorded)
                .Select(e => (e.Version, (LedgerDigestRecorded)e.Data)),
        ];

    public static async Task<IReadOnlyList<DigestView>> ListAsync(IQuerySession session, CancellationToken ct) =>
        [.. (await RecordedAsync(session, ct)).Select(d => View(d.Digest, d.Version))];

    /// <summary>
    /// Every stream's head among the events with a sequence up to <paramref name="upToSequence"/>; the digest stream
    /// itself and Marten's tombstones are left out. One probe of the <c>(stream_id, version)</c> index per stream, from
    /// its newest event down: proportional to the streams, where sorting every event's key grew with the whole ledger.
    /// </summary>
    public static async Task<IReadOnlyList<StreamHead>> HeadsAsync(
        IDocumentStore store,
        long upToSequence,
        CancellationToken ct
    )
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select s.id, e.version, coalesce(h.hash, '')
            from {schema}.mt_streams s
            cross join lateral (
                select e.version from {schema}.mt_events e
                where e.stream_id = s.id and e.seq_id <= @upTo
                order by e.version desc limit 1) e
            left join {schema}.{EventChainSchema.HashesTable} h on h.stream_id = s.id and h.version = e.version
            where s.id <> @digest and s.id <> @tombstones
            """,
            connection
        );
        command.Parameters.AddWithValue("upTo", upToSequence);
        command.Parameters.AddWithValue("digest", StreamId);
        // Marten's tombstones fill sequence numbers of failed commits, possibly below a digest's mark after it was
        // made: not ledger content, and they would make a later recomputation differ.
        command.Parameters.AddWithValue("tombstones", ChainVerifier.TombstoneStream);
        var heads = new List<StreamHead>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            heads.Add(new StreamHead(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        heads.Sort((a, b) => string.CompareOrdinal(a.StreamId, b.StreamId));
        return heads;
    }

    /// <summary>How long a digest waits for the transactions that were open when it started.</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The highest sequence committed now, once every transaction that was open at that moment has ended. Sequence
    /// numbers are taken at insert and committed in any order: an open transaction may hold a lower number than one
    /// already committed. Without the wait, its events would be left out of the digest yet counted when the digest is
    /// recomputed from the same sequence later, which then no longer matched (a false alarm of tampering). Past
    /// <see cref="SettleTimeout"/> (a transaction left open for long, a bulk load) the digest goes on without it.
    /// </summary>
    private static async Task<long> SettledSequenceAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        long upTo;
        string openBefore;
        await using (
            var read = new NpgsqlCommand(
                $"select coalesce(max(seq_id), 0), pg_snapshot_xmax(pg_current_snapshot())::text "
                    + $"from {store.Options.Events.DatabaseSchemaName}.mt_events",
                connection
            )
        )
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (upTo, openBefore) = (reader.GetInt64(0), reader.GetString(1));
        }
        // Every transaction with an id below the snapshot's xmax had begun by then; once the oldest transaction still
        // running is at or past it, all of those have committed or rolled back.
        await using var settled = new NpgsqlCommand(
            "select pg_snapshot_xmin(pg_current_snapshot()) >= @openBefore::xid8",
            connection
        );
        settled.Parameters.AddWithValue("openBefore", openBefore);
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (!(bool)(await settled.ExecuteScalarAsync(ct))! && DateTime.UtcNow < deadline)
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        return upTo;
    }

    private static DigestView View(LedgerDigestRecorded d, long version) =>
        new(
            Dates.Format(d.Date),
            d.At.ToDateTimeOffset(),
            d.Digest,
            d.Streams,
            d.Events,
            d.UpToSequence,
            version,
            d.Signature,
            d.KeyId
        );
}
