using System.Data;
using System.Text.Json;
using System.Threading.Channels;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;
using NpgsqlTypes;
using Salex.Ledger;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Projections.Accounts;
using Salex.Projections.Reserve;

namespace Salex.Projections.Rebuild;

/// <summary>
/// Rebuilds the read models Marten keeps per stream and the reserve, the inline account documents, the inline bank files'
/// reconciliations and the async reserve's rows, from one read of the events in stream order, in one transaction.
/// Marten's daemon rebuilds each projection with its own pass over the events (its event loader was two thirds of the
/// rebuild's CPU, once per projection), commits page by page and writes each document with an upsert; here the events
/// are read once, each stream is folded by the projections' own functions (<see cref="AccountProjection.Fold"/>,
/// <see cref="BankFiles.BankFileReconciliationProjection.Fold"/>, <see cref="ReserveTally"/>) while the documents of the
/// streams before are written by binary COPY on a second connection (docs/benchmarks.md, "The rebuild in one pass").
/// <para>
/// It must run with the service stopped, as Marten's rebuild must (README, <c>rebuild-read-models</c>): the reserve's
/// progress mark is set to the last event the read saw. Until the commit the previous read models stay as they were, for
/// everyone; a rebuild that fails or is stopped halfway changes nothing.
/// </para>
/// </summary>
public static class OnePassRebuild
{
    /// <summary>What was rebuilt: the events read (up to <c>HighWaterMark</c>), the account documents, the bank files'
    /// reconciliations and the reserve's rows written.</summary>
    public sealed record Rebuilt(long Events, long Accounts, long BankFiles, long ReserveRows, long HighWaterMark);

    /// <summary>The streams folded before their documents are handed to the writer.</summary>
    private const int StreamsPerBatch = 1_000;

    /// <summary>Marten's names of the projections this pass rebuilds (it names a single-stream projection after its
    /// document).</summary>
    public static readonly IReadOnlyList<string> Projections =
    [
        typeof(Account).Name,
        typeof(BankFileReconciliation).Name,
        ReserveYearProjection.Name,
    ];

    /// <summary>Folded streams, with their stream's key (Marten's document id).</summary>
    private sealed record Batch(
        List<(string Id, Account Account)> Accounts,
        List<(string Id, BankFileReconciliation File)> Files,
        ReserveTally Reserve
    )
    {
        public static Batch Empty() => new([], [], new ReserveTally());

        public int Streams => Accounts.Count + Files.Count;
    }

    /// <summary>How long the pass waits for another session's lock on the read models' tables before it gives up
    /// (PostgreSQL's <c>55P03</c>), unchanged: a session left open in psql, not an unreachable database.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public static async Task<Rebuilt> RunAsync(IDocumentStore store, CancellationToken ct) =>
        await RunAsync(store, LockWait, ct);

    public static async Task<Rebuilt> RunAsync(IDocumentStore store, TimeSpan lockWait, CancellationToken ct)
    {
        var options = (StoreOptions)store.Options;
        var schema = options.Events.DatabaseSchemaName;
        var accounts = store.Options.FindOrResolveDocumentType(typeof(Account)).TableName.QualifiedName;
        var files = store.Options.FindOrResolveDocumentType(typeof(BankFileReconciliation)).TableName.QualifiedName;

        await using var writing = store.Storage.Database.CreateConnection();
        await writing.OpenAsync(ct);
        await using var tx = await writing.BeginTransactionAsync(ct);
        // Emptied in the rebuild's own transaction: until it commits, everyone else still reads the previous rows.
        // Truncated, as Marten's rebuild empties its tables: the schema owner's right (the service's role may not), so
        // a rebuild run as the service's role stops here, before any work, and changes nothing.
        // Every lock the transaction needs is taken here, before the pass, within the lock wait: the three tables, and the
        // reserve daemon's progress row (a session holding it made the final mark wait without end, the tables locked).
        await ExecuteAsync(
            writing,
            tx,
            $"set local lock_timeout = {(int)lockWait.TotalMilliseconds}; "
                + $"truncate {accounts}, {files}, {schema}.{ReserveSchema.Table}; "
                + $"select 1 from {schema}.mt_event_progression where name = '{ReserveYearProjection.ShardName}' for update",
            ct
        );

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Batch>(
            new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true }
        );
        var reading = Task.Run(() => ReadAsync(store, batches.Writer, stop.Token), stop.Token);
        long accountsWritten = 0,
            filesWritten = 0,
            reserveRows = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                accountsWritten += await CopyDocumentsAsync(
                    writing,
                    accounts,
                    batch.Accounts,
                    a => a.Version,
                    a => a.EpisodeOpen,
                    stop.Token
                );
                filesWritten += await CopyDocumentsAsync(writing, files, batch.Files, f => f.Version, null, stop.Token);
                reserveRows += await CopyReserveAsync(writing, schema, batch.Reserve, stop.Token);
            }
        }
        catch
        {
            // The reader waits on a full channel: stop it before the error goes up.
            await stop.CancelAsync();
            await Task.WhenAny(reading);
            throw;
        }
        var (events, highWaterMark) = await reading;

        // The reserve's daemon goes on after the last event read; its rows hold every payment up to there.
        await using (
            var mark = new NpgsqlCommand(
                $"insert into {schema}.mt_event_progression (name, last_seq_id, last_updated) "
                    + "values (@name, @mark, transaction_timestamp()) on conflict (name) "
                    + "do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated",
                writing,
                tx
            )
        )
        {
            mark.Parameters.AddWithValue("name", ReserveYearProjection.ShardName);
            mark.Parameters.AddWithValue("mark", highWaterMark);
            await mark.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new Rebuilt(events, accountsWritten, filesWritten, reserveRows, highWaterMark);
    }

    /// <summary>
    /// Reads every event up to the last one committed, in stream order, in one snapshot; folds each stream; hands the
    /// folded streams to the writer a batch at a time. Returns the events read and the last sequence number.
    /// </summary>
    private static async Task<(long Events, long HighWaterMark)> ReadAsync(
        IDocumentStore store,
        ChannelWriter<Batch> batches,
        CancellationToken ct
    )
    {
        try
        {
            var graph = (EventGraph)((StoreOptions)store.Options).Events;
            var schema = graph.DatabaseSchemaName;
            var types = graph.AllKnownEventTypes().ToDictionary(m => m.EventTypeName, m => m.EventType);
            string Alias(Type type) => graph.EventMappingFor(type).EventTypeName;
            // Only an enrolment opens an account, only a file's receipt opens its reconciliation (which sees the file's
            // own events only, as Marten's projection does), only a payment counts in the reserve: the other events of
            // a stream with neither (the rate schedule, the digests) are not even deserialised.
            var enrolled = Alias(typeof(Enrolled));
            var received = Alias(typeof(BankFileReceived));
            var fileEvents = BankFiles.BankFileReconciliationProjection.FileEvents.Select(Alias).ToHashSet();
            var payments = new[] { typeof(ContributionPaid), typeof(AdvancePaid) }.Select(Alias).ToHashSet();

            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            long highWaterMark;
            await using (
                var last = new NpgsqlCommand(
                    $"select coalesce(max(seq_id), 0) from {schema}.mt_events",
                    connection,
                    snapshot
                )
            )
                highWaterMark = (long)(await last.ExecuteScalarAsync(ct))!;

            await using var read = new NpgsqlCommand(
                // Archived events left out, as Marten's daemon and its live aggregation leave them out.
                $"select stream_id, version, type, data from {schema}.mt_events where seq_id <= @mark "
                    + "and is_archived = false order by stream_id, version",
                connection,
                snapshot
            );
            read.Parameters.AddWithValue("mark", highWaterMark);
            await using var reader = await read.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);

            long events = 0;
            var batch = Batch.Empty();
            string? stream = null;
            Account? account = null;
            BankFileReconciliation? file = null;
            while (await reader.ReadAsync(ct))
            {
                events++;
                var id = reader.GetString(0);
                if (id != stream)
                {
                    Add(batch, stream, account, file);
                    if (batch.Streams >= StreamsPerBatch)
                    {
                        await batches.WriteAsync(batch, ct);
                        batch = Batch.Empty();
                    }
                    stream = id;
                    account = null;
                    file = null;
                }
                var version = reader.GetInt64(1);
                var alias = reader.GetString(2);
                var folds = account is not null || alias == enrolled;
                var files = fileEvents.Contains(alias) && (file is not null || alias == received);
                if (!folds && !files && !payments.Contains(alias))
                    continue;
                var data = Deserialise(types, alias, reader.GetString(3), id, version);
                if (folds)
                    account = AccountProjection.Fold(account, data, version);
                if (files)
                    file = BankFiles.BankFileReconciliationProjection.Fold(file, data, version);
                batch.Reserve.Add(id, data);
            }
            Add(batch, stream, account, file);
            await batches.WriteAsync(batch, ct);
            batches.Complete();
            return (events, highWaterMark);
        }
        catch (Exception e)
        {
            batches.TryComplete(e);
            throw;
        }
    }

    /// <summary>A stream's documents, with the stream's key as their id, as Marten's projections set it.</summary>
    private static void Add(Batch batch, string? stream, Account? account, BankFileReconciliation? file)
    {
        if (account is not null)
            batch.Accounts.Add((stream!, account.Id == stream ? account : account with { Id = stream! }));
        if (file is not null)
            batch.Files.Add((stream!, file.Id == stream ? file : file with { Id = stream! }));
    }

    private static object Deserialise(
        Dictionary<string, Type> types,
        string alias,
        string json,
        string stream,
        long version
    )
    {
        if (!types.TryGetValue(alias, out var type))
            throw new InvalidOperationException(
                $"Event {version} of stream {stream} is of type '{alias}', which this ledger does not know: nothing was rebuilt."
            );
        try
        {
            return JsonSerializer.Deserialize(json, type, LedgerSerializer.Json) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Event {version} of stream {stream} ('{alias}') cannot be read as {type.Name} ({e.Message}): "
                    + "nothing was rebuilt.",
                e
            );
        }
    }

    /// <summary>
    /// Documents as Marten's single-stream projections store them: the store's serializer, the stream's version, the
    /// .NET type, and for an account its duplicated <c>episode_open</c> (a bank file's reconciliation has no duplicated
    /// field). The test <c>a_one_pass_rebuild_stores_what_martens_rebuild_stores</c> holds them equal column by column.
    /// </summary>
    private static async Task<long> CopyDocumentsAsync<T>(
        NpgsqlConnection connection,
        string table,
        List<(string Id, T Document)> documents,
        Func<T, long> version,
        Func<T, bool>? episodeOpen,
        CancellationToken ct
    )
        where T : notnull
    {
        if (documents.Count == 0)
            return 0;
        var dotNetType = typeof(T).FullName!;
        var duplicated = episodeOpen is null ? "" : ", episode_open";
        await using var rows = await connection.BeginBinaryImportAsync(
            $"copy {table} (id, data, mt_version, mt_dotnet_type{duplicated}) from stdin (format binary)",
            ct
        );
        foreach (var (id, document) in documents)
        {
            await rows.StartRowAsync(ct);
            await rows.WriteAsync(id, NpgsqlDbType.Varchar, ct);
            await rows.WriteAsync(LedgerSerializer.ToUtf8Json(document), NpgsqlDbType.Jsonb, ct);
            await rows.WriteAsync(version(document), NpgsqlDbType.Bigint, ct);
            await rows.WriteAsync(dotNetType, NpgsqlDbType.Varchar, ct);
            if (episodeOpen is not null)
                await rows.WriteAsync(episodeOpen(document), NpgsqlDbType.Boolean, ct);
        }
        return (long)await rows.CompleteAsync(ct);
    }

    private static async Task<long> CopyReserveAsync(
        NpgsqlConnection connection,
        string schema,
        ReserveTally reserve,
        CancellationToken ct
    )
    {
        if (reserve.Pairs.Count == 0)
            return 0;
        await using var rows = await connection.BeginBinaryImportAsync(
            $"copy {schema}.{ReserveSchema.Table} (year, affiliation_number, base_contributions) from stdin (format binary)",
            ct
        );
        foreach (var ((year, insured), contributions) in reserve.Pairs)
        {
            await rows.StartRowAsync(ct);
            await rows.WriteAsync(year, NpgsqlDbType.Integer, ct);
            await rows.WriteAsync(insured, NpgsqlDbType.Varchar, ct);
            await rows.WriteAsync(contributions, NpgsqlDbType.Numeric, ct);
        }
        return (long)await rows.CompleteAsync(ct);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        string sql,
        CancellationToken ct
    )
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Every read model rebuilt: those <see cref="OnePassRebuild"/> knows in one pass and one transaction, any other
/// projection (none today: one added later and not taught to the pass) by Marten's daemon after it, as
/// <c>projections rebuild</c> does.</summary>
public static class ReadModels
{
    /// <summary>What the one pass rebuilt and how long it took; the projections Marten's daemon rebuilt after it.</summary>
    public sealed record Rebuilt(
        OnePassRebuild.Rebuilt OnePass,
        TimeSpan OnePassTook,
        IReadOnlyList<string> ByTheDaemon,
        TimeSpan DaemonTook
    );

    public static async Task<Rebuilt> RebuildAsync(IDocumentStore store, TimeSpan timeout, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var onePass = await OnePassRebuild.RunAsync(store, ct);
        var onePassTook = clock.Elapsed;
        var others = ((StoreOptions)store.Options)
            .Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live)
            .Select(p => p.Name)
            .Except(OnePassRebuild.Projections)
            .ToList();
        if (others.Count > 0)
        {
            using var daemon = await store.BuildProjectionDaemonAsync();
            foreach (var name in others)
                await daemon.RebuildProjectionAsync(name, timeout, ct);
        }
        return new Rebuilt(onePass, onePassTook, others, clock.Elapsed - onePassTook);
    }
}
