using Marten;
using Npgsql;
using Salex.Ledger.Integrity;

namespace Salex.Projections.Integrity;

/// <summary>The first place where a stream's chain does not hold.</summary>
public sealed record BrokenLink(long Version, string Reason, string? ExpectedHash, string? FoundHash);

/// <summary>One stream's verification: how many events were checked, its head, and the first broken link if
/// any.</summary>
public sealed record StreamVerification(
    string StreamId,
    long Events,
    long HeadVersion,
    string? HeadHash,
    BrokenLink? BrokenLink
)
{
    public bool Intact => BrokenLink is null;
}

/// <summary>
/// Walks hash chains: recomputes every event's hash from its stored form with <see cref="EventChain"/> and the
/// previous stored hash, and compares it with the hash recorded when the event was inserted. Reads with plain
/// SQL, streaming, so a whole ledger is one pass over <c>mt_events</c>.
/// </summary>
public sealed class ChainVerifier(IDocumentStore store)
{
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;

    /// <summary>One stream; null when the stream has neither events nor hashes.</summary>
    public async Task<StreamVerification?> VerifyStreamAsync(string streamId, CancellationToken ct)
    {
        await using var snapshot = await AuditSnapshot.OpenAsync(store, ct);
        StreamVerification? result = null;
        await foreach (var stream in WalkAsync(snapshot.Connection, StreamRange.One(streamId), ct))
            result = stream;
        return result;
    }

    /// <summary>Every stream, in the database's order of id (ordinal under the C collations the ledger's databases
    /// are created with), each with its first broken link. All in one snapshot: the streams' versions, their events
    /// and their hashes, whatever is appended meanwhile.</summary>
    public async IAsyncEnumerable<StreamVerification> VerifyAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
    )
    {
        await using var snapshot = await AuditSnapshot.OpenAsync(store, ct);
        // A range of a thousand streams at a time, read by the indexes of (stream, version): the first answer comes at
        // once and nothing sorts the whole ledger (that sort took 8.8 s before the first row at 100,000 persons, and
        // would spill gigabytes at 1,000,000). The first range is open below and the last open above, so that an
        // event or a hash whose stream row is gone is walked too.
        var ids = await StreamIdsAsync(snapshot.Connection, ct);
        var size = Math.Max(1, StreamsPerWalk);
        string? after = null;
        for (var end = size; ; end += size)
        {
            var upTo = end < ids.Count ? ids[end - 1] : null;
            await foreach (var stream in WalkAsync(snapshot.Connection, new StreamRange(after, upTo), ct))
                yield return stream;
            if (upTo is null)
                yield break;
            after = upTo;
        }
    }

    /// <summary>How many streams one query of <see cref="VerifyAllAsync"/> walks.</summary>
    public int StreamsPerWalk { get; init; } = 1000;

    /// <summary>The streams whose id is after <see cref="After"/> and up to <see cref="UpTo"/> (a null bound is
    /// open); or, with <see cref="Only"/>, the one stream <see cref="UpTo"/>.</summary>
    private sealed record StreamRange(string? After, string? UpTo, bool Only = false)
    {
        public static StreamRange One(string streamId) => new(null, streamId, Only: true);

        public string Where(string column) =>
            Only
                ? $"{column} = @upto"
                : (After, UpTo) switch
                {
                    (null, null) => "true",
                    (null, _) => $"{column} <= @upto",
                    (_, null) => $"{column} > @after",
                    _ => $"{column} > @after and {column} <= @upto",
                };

        public void Bind(NpgsqlCommand command)
        {
            if (After is not null)
                command.Parameters.AddWithValue("after", After);
            if (UpTo is not null)
                command.Parameters.AddWithValue("upto", UpTo);
        }
    }

    private async Task<List<string>> StreamIdsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select id from {_schema}.mt_streams order by id", connection)
        {
            CommandTimeout = 0,
        };
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }

    private async IAsyncEnumerable<StreamVerification> WalkAsync(
        NpgsqlConnection connection,
        StreamRange range,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
    )
    {
        var versions = await StreamVersionsAsync(connection, range, ct);

        await using var command = new NpgsqlCommand(
            $"""
            select coalesce(e.stream_id, h.stream_id), coalesce(e.version, h.version), e.id, e.type,
                   case when isfinite(e.timestamp) then e.timestamp end,
                   e.data::text, e.headers::text, e.correlation_id, e.causation_id, e.user_name, h.hash, e.stream_id is not null,
                   e.seq_id
            from (select * from {_schema}.mt_events where {range.Where("stream_id")}) e
            full join (select * from {_schema}.{EventChainSchema.HashesTable} where {range.Where("stream_id")}) h
              on h.stream_id = e.stream_id and h.version = e.version
            order by coalesce(e.stream_id, h.stream_id), coalesce(e.version, h.version)
            """,
            connection
        )
        {
            // One stream can be long (the tombstones' stream holds one event per failed commit).
            CommandTimeout = 0,
        };
        range.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(ct);

        Walk? walk = null;
        while (await reader.ReadAsync(ct))
        {
            var streamId = reader.GetString(0);
            if (walk is not null && walk.StreamId != streamId)
            {
                yield return walk.Finish(versions.GetValueOrDefault(walk.StreamId));
                walk = null;
            }
            walk ??= new Walk(streamId);
            var version = reader.GetInt64(1);
            var hasEvent = reader.GetBoolean(11);
            var e = hasEvent ? StoredEvent(reader, streamId, version) : null;
            walk.Next(
                version,
                e,
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(12) ? null : reader.GetInt64(12)
            );
        }
        if (walk is not null)
            yield return walk.Finish(versions.GetValueOrDefault(walk.StreamId));
    }

    /// <summary>
    /// A stored event as the chain hashes it, from a row whose columns 2 to 9 are, in this order: <c>id</c>, <c>type</c>,
    /// the timestamp (null when not finite), <c>data::text</c>, <c>headers::text</c>, <c>correlation_id</c>,
    /// <c>causation_id</c>, <c>user_name</c> (the verifier's walk and the bulk load's read-back).
    /// </summary>
    internal static ChainedEvent StoredEvent(NpgsqlDataReader reader, string streamId, long version) =>
        new(
            streamId,
            version,
            reader.GetGuid(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9)
        );

    private async Task<Dictionary<string, long>> StreamVersionsAsync(
        NpgsqlConnection connection,
        StreamRange range,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(
            $"select id, coalesce(version, 0) from {_schema}.mt_streams where {range.Where("id")}",
            connection
        );
        range.Bind(command);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            versions[reader.GetString(0)] = reader.GetInt64(1);
        return versions;
    }

    /// <summary>
    /// Marten's own stream of placeholders. When a commit fails after its events took sequence numbers (a lost
    /// version race, a refused row), Marten appends a <c>tombstone</c> event here for each number, by design, so
    /// that the async daemon sees no gap in the sequence. Each tombstone's version is the sequence number it fills
    /// and the stream's recorded version stays 0; the trigger hashes it like any event, linked to the tombstone of
    /// the version before if there is one (consecutive numbers), else to the genesis hash.
    /// </summary>
    public const string TombstoneStream = "mt_tombstone";

    private const string TombstoneType = "tombstone";

    /// <summary>The state of one stream's walk: the previous stored hash and the first break found.</summary>
    private sealed class Walk(string streamId)
    {
        private readonly bool _tombstones = streamId == TombstoneStream;
        private string _previous = EventChain.Genesis;
        private long _expectedVersion = 1;
        private long _events;
        private BrokenLink? _broken;

        public string StreamId => streamId;

        public void Next(long version, ChainedEvent? e, string? storedHash, long? sequence)
        {
            if (e is not null)
                _events++;
            if (_broken is null)
                _broken = _tombstones
                    ? CheckTombstone(version, e, storedHash, sequence)
                    : Check(version, e, storedHash);
            _previous = storedHash ?? _previous;
            _expectedVersion = version + 1;
        }

        /// <summary>A tombstone holds nothing, stands for its own sequence number, and its hash links as the trigger
        /// links it.</summary>
        private BrokenLink? CheckTombstone(long version, ChainedEvent? e, string? storedHash, long? sequence)
        {
            if (e is not null && (e.Type != TombstoneType || e.Data != "{}" || sequence != version))
                return new BrokenLink(
                    version,
                    $"An event of {TombstoneStream} is not one of Marten's tombstones (type {e.Type}, sequence {sequence}).",
                    null,
                    storedHash
                );
            if (version != _expectedVersion)
                _previous = EventChain.Genesis;
            return CheckLink(version, e, storedHash);
        }

        private BrokenLink? Check(long version, ChainedEvent? e, string? storedHash)
        {
            if (version != _expectedVersion)
                return new BrokenLink(
                    _expectedVersion,
                    $"Version {_expectedVersion} is missing: the stream jumps to version {version}.",
                    null,
                    null
                );
            return CheckLink(version, e, storedHash);
        }

        private BrokenLink? CheckLink(long version, ChainedEvent? e, string? storedHash)
        {
            if (e is null)
                return new BrokenLink(version, "The event is missing but its hash is recorded.", null, storedHash);
            var expected = EventChain.Hash(e, _previous);
            if (storedHash is null)
                return new BrokenLink(version, "No hash was recorded for this event.", expected, null);
            if (expected != storedHash)
                return new BrokenLink(
                    version,
                    "The event's content or its link to the previous event does not match the recorded hash.",
                    expected,
                    storedHash
                );
            return null;
        }

        public StreamVerification Finish(long streamVersion)
        {
            var last = _expectedVersion - 1;
            // A stream whose recorded version is past its last event lost events at its end (Marten keeps the
            // tombstones' stream at version 0).
            if (_broken is null && !_tombstones && streamVersion != last)
                _broken = new BrokenLink(
                    Math.Min(streamVersion, last + 1),
                    $"The stream's recorded version is {streamVersion} but its last event is version {last}.",
                    null,
                    null
                );
            return new StreamVerification(
                streamId,
                _events,
                last,
                _previous == EventChain.Genesis ? null : _previous,
                _broken
            );
        }
    }
}
