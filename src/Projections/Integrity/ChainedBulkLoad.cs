using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Salex.Ledger;
using Salex.Ledger.Integrity;

namespace Salex.Projections.Integrity;

/// <summary>
/// The migration path for a whole history (README "Loading a history"): a binary COPY of its own into Marten's tables
/// (<see cref="HistoryCopy"/>: what Marten's bulk insertion writes, faster) with the hash-chain trigger and the foreign
/// keys of the events and hashes off, every part's chains computed while the next part is copied, then the foreign
/// keys validated again and the tables analysed.
/// <para>
/// The trigger would hash each row as the COPY inserts it, and each foreign key checks each row against
/// <c>mt_streams</c> (together they made a load several times slower; docs/benchmarks.md). Here a part's events are
/// read back as PostgreSQL stored them (<c>data::text</c>, the stored timestamp) and hashed by
/// <see cref="EventChain"/>, the verifier's own function, so the hashes are the ones the trigger would have written,
/// from the same stored text; they are copied into the hashes table on a second connection while the next part is
/// copied. A stream whose chain did not begin in the part read is left to <see cref="CompleteChainsAsync"/>, the
/// set-based completion with the trigger's own SQL expression, which runs at the end only when some event is still
/// without its hash. That is a guard: the copy only starts streams (one that exists fails its part on the streams'
/// primary key), so every stream begins at version 1 in its part.
/// </para>
/// <para>
/// Each part also writes, in its transaction, what the live paths write beside an account's events
/// (<see cref="HistoryDocuments"/>): every bank transaction's receipt as the payments API would have written it, every
/// DUI's registration, and the affiliation numbers' sequence moved past the loaded numbers. A loaded ledger then refuses
/// to record a historical transaction twice and passes the money audit like a recorded one. A transaction on two
/// accounts, a DUI on two streams, or either already on the ledger, fails its part before or as it writes.
/// </para>
/// Run it with no other writer (the API stopped): while the trigger is off, an append by someone else would get no
/// hash. The trigger and the foreign keys are put back however the load ends; if the process dies first, the next
/// <c>db-apply</c> (or a Development start) puts them back, and the <c>complete-chains</c> command computes whatever
/// hashes are missing. Needs the schema owner's connection (disabling a trigger and dropping a constraint are the
/// table owner's rights, not the application role's).
/// </summary>
public static class ChainedBulkLoad
{
    /// <param name="Copy">The events copied and, meanwhile, hashed; the foreign keys validated again.</param>
    /// <param name="Chain">The set-based completion (when some hash was still missing) and ANALYZE.</param>
    /// <param name="Hashed">Hashes written in all.</param>
    /// <param name="HashedDuringCopy">Of those, the ones computed from the parts read back during the copy.</param>
    public sealed record Result(TimeSpan Copy, TimeSpan Chain, long Hashed, long HashedDuringCopy);

    /// <summary>Events handed to one bulk insertion at most (whole streams): the hashing of one part overlaps the
    /// copy of the next ones, so smaller parts overlap more; each part is one transaction.</summary>
    public const int EventsPerPart = 100_000;

    /// <summary>
    /// Parts copied at once, each by a server process of its own: one COPY keeps one core busy, and with one part at a
    /// time the machine's second core idled whenever the part before had been hashed (about 1.5 of 2 cores busy; with
    /// two, 1.9 and the load 10 % shorter, docs/benchmarks.md). They commit in order (<see cref="HistoryCopy"/>), so a
    /// refused part still leaves exactly the parts before it.
    /// </summary>
    private const int PartsAtOnce = 2;

    /// <summary>How long a part may wait for a lock: in a load nothing else writes, so only the same key in two parts
    /// copied at once makes one wait at all.</summary>
    public static readonly TimeSpan PartLockTimeout = TimeSpan.FromSeconds(15);

    public static Task<Result> LoadAsync(
        IDocumentStore store,
        IReadOnlyList<StreamAction> streams,
        Regime regime,
        CancellationToken ct
    ) => LoadAsync(store, [streams], _ => Task.FromResult(regime), ct);

    public static Task<Result> LoadAsync(
        IDocumentStore store,
        IEnumerable<IReadOnlyList<StreamAction>> shares,
        Regime regime,
        CancellationToken ct
    ) => LoadAsync(store, shares, _ => Task.FromResult(regime), ct);

    /// <summary>
    /// The same, for a history too large to hold at once: the shares are enumerated one after the other (each is built
    /// only when the load reaches it and can be collected after), all inside one trigger-off window.
    /// </summary>
    /// <param name="regime">Read once the load holds its lock: reading it may be the store's first use, which in
    /// Development applies the schema, and that must not happen under another load.</param>
    /// <param name="eventsPerPart">The size of a part (<see cref="EventsPerPart"/>; tests make parts small to have
    /// several copied at once).</param>
    public static async Task<Result> LoadAsync(
        IDocumentStore store,
        IEnumerable<IReadOnlyList<StreamAction>> shares,
        Func<CancellationToken, Task<Regime>> regime,
        CancellationToken ct,
        int eventsPerPart = EventsPerPart
    )
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var copy = Stopwatch.StartNew();
        // One load at a time: a second one would turn the trigger back on and put the keys back under the first.
        await using var alone = await LockAsync(store, ct);
        // Where Marten may create or patch the schema (Development, tests), a store's first bulk insertion applies the
        // whole schema, which would put the disabled trigger back: an empty insertion lets it do that first (and
        // makes sure the tables the copy writes exist).
        await store.BulkInsertEventsAsync([], cancellation: ct);
        var rules = await regime(ct);
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(Payments.PaymentReceipt), ct);
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(Accounts.DuiRegistration), ct);
        var foreignKeys = await ForeignKeysAsync(store, ct);
        // The receipts' secondary indexes (bank, day) are built once after the load, sorted, instead of row by row; their
        // primary keys stay, so that a transaction or a DUI already on the ledger fails its part.
        var indexes = await SecondaryIndexesAsync(store, ct);
        await ExecAsync(
            store,
            $"alter table {schema}.mt_events disable trigger {EventChainSchema.TriggerName};"
                + string.Concat(foreignKeys.Select(k => $"alter table {k.Table} drop constraint {k.Name};"))
                + string.Concat(indexes.Select(i => $"drop index {i.Name};")),
            ct
        );
        long loaded = 0,
            hashedDuringCopy = 0;
        Task<long> hashing = Task.FromResult(0L);
        var copying = new Queue<Task<HistoryCopy.Copied>>();
        var failed = false;
        // The oldest part copying: once it is in, the hashing of the part before it ends and its own begins.
        async Task HashOldestAsync()
        {
            var copied = await copying.Peek();
            // Dequeued only once the part before it is hashed: if that failed, this committed part is still queued, and
            // the load's end knows that it is not hashed.
            hashedDuringCopy += await hashing;
            _ = copying.Dequeue(); // the part itself, awaited above
            loaded += copied.Events;
            hashing = HashPartAsync(store, copied.From, copied.To, ct);
        }
        try
        {
            // A part's documents are derived while the part before it is copied; two parts are copied at once, each in
            // its own transaction, so that both cores work (one COPY is one server process).
            using var parts = shares.SelectMany(share => Parts(share, eventsPerPart)).GetEnumerator();
            var part = parts.MoveNext() ? parts.Current : null;
            var deriving = part is null ? null : DeriveAsync(part, rules);
            while (part is not null)
            {
                var documents = await deriving!;
                var next = parts.MoveNext() ? parts.Current : null;
                deriving = next is null ? null : DeriveAsync(next, rules);
                if (copying.Count == PartsAtOnce)
                    await HashOldestAsync();
                // A part commits only after the one before it, whichever finishes copying first.
                copying.Enqueue(CopyAsync(store, part, documents, copying.LastOrDefault(), ct));
                part = next;
            }
            while (copying.Count > 0)
                await HashOldestAsync();
            hashedDuringCopy += await hashing;
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // However the load ended, nothing of it is still writing when the trigger, the keys and the indexes come
            // back.
            foreach (var part in copying)
                await part.ContinueWith(_ => { }, CancellationToken.None);
            await hashing.ContinueWith(_ => { }, CancellationToken.None);
            // A load that ends early (a part refused, its input or a part's documents failing, a cancellation) may leave
            // parts committed and not hashed: the queued ones that committed (parts copy two at a time), and the one whose
            // hashing was cut short (on a cancellation, also a part whose commit went through as the token fired). Their
            // chains are completed now, whatever the token says: a committed event without its hash reads as tampering
            // to the verifier. (Found by an attack on the parts copied at once, ChainedBulkLoadAttackTests.)
            if (
                failed
                && (
                    ct.IsCancellationRequested
                    || !hashing.IsCompletedSuccessfully
                    || copying.Any(p => p.IsCompletedSuccessfully)
                )
            )
                try
                {
                    await CompleteChainsAsync(store, CancellationToken.None);
                }
                catch
                {
                    // The load's own failure is the one reported; `complete-chains` finishes what this could not.
                }
            await RestoreAsync(
                store,
                $"alter table {schema}.mt_events enable trigger {EventChainSchema.TriggerName}",
                [
                    .. foreignKeys.Select(k =>
                        $"do $$ begin if not exists (select from pg_constraint where conrelid = '{k.Table}'::regclass "
                        + $"and conname = '{k.Name.Trim('"')}') then alter table {k.Table} add constraint {k.Name} "
                        + $"{k.Definition}; end if; end $$"
                    ),
                ],
                [.. indexes.Select(i => i.Definition.Replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "))]
            );
        }
        copy.Stop();
        var chain = Stopwatch.StartNew();
        var completed = hashedDuringCopy < loaded ? await CompleteChainsAsync(store, ct) : 0;
        // Two connections, two cores: the events and the hashes are the large ones.
        await Task.WhenAll(
            ExecAsync(store, $"analyze {schema}.mt_events; analyze {schema}.mt_streams", ct),
            ExecAsync(
                store,
                $"analyze {schema}.{EventChainSchema.HashesTable}; analyze {TableOf<Payments.PaymentReceipt>(store)}; "
                    + $"analyze {TableOf<Accounts.DuiRegistration>(store)}",
                ct
            )
        );
        return new Result(copy.Elapsed, chain.Elapsed, hashedDuringCopy + completed, hashedDuringCopy);
    }

    private static string TableOf<T>(IDocumentStore store) =>
        store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;

    /// <summary>The advisory lock a load holds from start to end, on a connection of its own.</summary>
    public const long LoadLockId = 7_227_436_013;

    private static async Task<LoadLock> LockAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock(@id)", connection);
            command.Parameters.AddWithValue("id", LoadLockId);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
                return new LoadLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        throw new InvalidOperationException(
            "Another history load is running on this database: one load at a time (it holds the advisory lock "
                + $"{LoadLockId}). Nothing was changed."
        );
    }

    /// <summary>Released explicitly: a pooled connection keeps its session's advisory locks until it is reset, which
    /// happens only when the pool hands it out again.</summary>
    private sealed class LoadLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("select pg_advisory_unlock(@id)", connection);
                command.Parameters.AddWithValue("id", LoadLockId);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>The streams in parts of about <see cref="EventsPerPart"/> events, a stream never split.</summary>
    private static IEnumerable<IReadOnlyList<StreamAction>> Parts(
        IReadOnlyList<StreamAction> streams,
        int eventsPerPart
    )
    {
        var part = new List<StreamAction>();
        var events = 0;
        foreach (var stream in streams)
        {
            part.Add(stream);
            events += stream.Events.Count;
            if (events < eventsPerPart)
                continue;
            yield return part;
            (part, events) = ([], 0);
        }
        if (part.Count > 0)
            yield return part;
    }

    private sealed record ForeignKey(string Table, string Name, string Definition);

    /// <summary>A part copied; a key the ledger already holds refuses the part (rolled back whole) in words.</summary>
    private static async Task<HistoryCopy.Copied> CopyAsync(
        IDocumentStore store,
        IReadOnlyList<StreamAction> part,
        HistoryDocuments documents,
        Task? before,
        CancellationToken ct
    )
    {
        try
        {
            return await HistoryCopy.CopyAsync(store, part, documents, before, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            // This part waited for a row of the part copied beside it, which cannot commit before this one: the same
            // key in both.
            throw new InvalidOperationException(
                "The history cannot be loaded as it is: one of its accounts, bank transactions or DUIs is also in the "
                    + $"part copied beside this one. Nothing of this part of {part.Count} streams, nor of any after it, "
                    + "was written; the parts before it were.",
                e
            );
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            var what = e.TableName switch
            {
                "mt_streams" =>
                    "accounts has a stream on this ledger already (loaded before, or twice in this history?)",
                "mt_doc_paymentreceipt" =>
                    "bank transactions is already recorded on this ledger (its receipt exists), or twice in this history",
                "mt_doc_duiregistration" =>
                    "DUIs is already registered to an account of this ledger, or twice in this history",
                _ => $"rows is in {e.TableName} already",
            };
            throw new InvalidOperationException(
                $"The history cannot be loaded as it is: one of its {what}. Nothing of this part of {part.Count} "
                    + "streams, nor of any after it, was written; the parts before it were.",
                e
            );
        }
    }

    private static Task<HistoryDocuments> DeriveAsync(IReadOnlyList<StreamAction> part, Regime regime) =>
        Task.Run(() => HistoryDocuments.Of(part, regime));

    private sealed record Index(string Name, string Definition);

    /// <summary>The indexes of the receipts' table but its primary key, as PostgreSQL defines them.</summary>
    private static async Task<IReadOnlyList<Index>> SecondaryIndexesAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            from pg_index i
            where i.indrelid = to_regclass(@table) and not i.indisprimary and not i.indisunique
            order by 1
            """,
            connection
        );
        command.Parameters.AddWithValue("table", TableOf<Payments.PaymentReceipt>(store));
        var indexes = new List<Index>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            indexes.Add(new Index(reader.GetString(0), reader.GetString(1)));
        return indexes;
    }

    /// <summary>The foreign keys of the events and of the hashes (to <c>mt_streams</c>), as PostgreSQL defines
    /// them, so that they are put back exactly.</summary>
    private static async Task<IReadOnlyList<ForeignKey>> ForeignKeysAsync(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            select c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
            from pg_constraint c
            where c.contype = 'f' and c.conrelid in (to_regclass(@events), to_regclass(@hashes))
            order by 1, 2
            """,
            connection
        );
        command.Parameters.AddWithValue("events", $"{schema}.mt_events");
        command.Parameters.AddWithValue("hashes", $"{schema}.{EventChainSchema.HashesTable}");
        var keys = new List<ForeignKey>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            keys.Add(new ForeignKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return keys;
    }

    /// <summary>
    /// Hashes the events of one part (sequence numbers after <paramref name="from"/> up to <paramref name="to"/>),
    /// read back as stored, in sequence order (a stream's versions come in order), each linked to the hash of its
    /// version before in this part, or to the genesis hash at version 1; copies the hashes in. A stream whose first
    /// event here is not version 1, or whose versions jump, is left from there on to the set-based completion.
    /// </summary>
    private static async Task<long> HashPartAsync(IDocumentStore store, long from, long to, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var read = store.Storage.Database.CreateConnection();
        await using var write = store.Storage.Database.CreateConnection();
        await read.OpenAsync(ct);
        await write.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select stream_id, version, id, type, case when isfinite(timestamp) then timestamp end,
                   data::text, headers::text, correlation_id, causation_id, user_name
            from {schema}.mt_events where seq_id > @from and seq_id <= @to order by seq_id
            """,
            read
        )
        {
            CommandTimeout = 0,
        };
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await using var hashes = await write.BeginBinaryImportAsync(
            $"copy {schema}.{EventChainSchema.HashesTable} (stream_id, version, hash) from stdin (format binary)",
            ct
        );
        var heads = new Dictionary<string, (long Version, string Hash)>(StringComparer.Ordinal);
        long written = 0;
        while (await reader.ReadAsync(ct))
        {
            var streamId = reader.GetString(0);
            var version = reader.GetInt64(1);
            var previous =
                version == 1 ? EventChain.Genesis
                : heads.TryGetValue(streamId, out var head) && head.Version == version - 1 ? head.Hash
                : null;
            // Not linked here: this event and the rest of its stream (their heads are never recorded) are left to
            // the set-based completion.
            if (previous is null)
                continue;
            var hash = EventChain.Hash(ChainVerifier.StoredEvent(reader, streamId, version), previous);
            heads[streamId] = (version, hash);
            await hashes.StartRowAsync(ct);
            await hashes.WriteAsync(streamId, NpgsqlDbType.Varchar, ct);
            await hashes.WriteAsync(version, NpgsqlDbType.Bigint, ct);
            await hashes.WriteAsync(hash, NpgsqlDbType.Varchar, ct);
            written++;
        }
        await hashes.CompleteAsync(ct);
        return written;
    }

    /// <summary>
    /// Hashes every event that has no hash yet, stream by stream in version order, linked as the trigger links them
    /// (to the hash of the version before, or to the genesis hash when there is no event before). One recursive
    /// statement per share of the streams, the shares on their own connections, so both cores work. Returns the
    /// number of hashes written; on a complete ledger it writes none.
    /// </summary>
    public static async Task<long> CompleteChainsAsync(IDocumentStore store, CancellationToken ct, int shares = 2)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var hashes = EventChainSchema.HashesTable;
        // The trigger's hash, inlined as an expression: no function call per event.
        string Hash(string e, string previous) => EventChainSchema.HashExpression(e + ".", previous);
        var counts = await Task.WhenAll(
            Enumerable
                .Range(0, shares)
                .Select(async share =>
                {
                    // The first unhashed event of each stream (its predecessor is hashed, or there is none), then the
                    // rest.
                    var sql = $"""
                        with recursive chain (stream_id, version, hash) as (
                          select e.stream_id, e.version, {Hash("e", "coalesce(p.hash, repeat('0', 64))")}
                          from {schema}.mt_events e
                          left join {schema}.{hashes} p on p.stream_id = e.stream_id and p.version = e.version - 1
                          where not exists (select from {schema}.{hashes} h
                                            where h.stream_id = e.stream_id and h.version = e.version)
                            and (p.hash is not null
                                 or not exists (select from {schema}.mt_events q
                                                where q.stream_id = e.stream_id and q.version = e.version - 1))
                            and abs(hashtext(e.stream_id)) % {shares} = {share}
                          union all
                          select e.stream_id, e.version, {Hash("e", "c.hash")}
                          from chain c join {schema}.mt_events e on e.stream_id = c.stream_id and e.version = c.version + 1
                          where not exists (select from {schema}.{hashes} h
                                            where h.stream_id = e.stream_id and h.version = e.version)
                        )
                        insert into {schema}.{hashes} (stream_id, version, hash) select stream_id, version, hash from chain
                        """;
                    await using var connection = store.Storage.Database.CreateConnection();
                    await connection.OpenAsync(ct);
                    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
                    return (long)await command.ExecuteNonQueryAsync(ct);
                })
        );
        return counts.Sum();
    }

    /// <summary>
    /// Puts back what the load turned off, each statement on its own and each one idempotent: a key or an index that is
    /// already there (put back by a schema migration meanwhile) does not keep the trigger off. The trigger first; then
    /// the foreign keys one after the other (each locks <c>mt_streams</c> against the other) while each index of the
    /// receipts is built on a connection of its own (an index build shares its table's lock with another): about 5 s
    /// one after the other on the benchmark's history, the longest index's 2.7 s so.
    /// </summary>
    private static async Task RestoreAsync(
        IDocumentStore store,
        string trigger,
        IReadOnlyList<string> foreignKeys,
        IReadOnlyList<string> indexes
    )
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        async Task RunAsync(IEnumerable<string> statements)
        {
            foreach (var statement in statements)
                try
                {
                    await ExecAsync(store, statement, CancellationToken.None);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
        }
        await RunAsync([trigger]);
        await Task.WhenAll([RunAsync(foreignKeys), .. indexes.Select(i => RunAsync([i]))]);
        if (!failures.IsEmpty)
            throw new AggregateException("What the history load turned off could not all be put back.", failures);
    }

    private static async Task ExecAsync(IDocumentStore store, string sql, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
