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
using Salex.Projections.Accounts;
using Salex.Projections.Reserve;

namespace Salex.Projections.Rebuild;

/// <summary>
/// Rebuilds the two read models the account streams feed, the inline account documents and the async reserve's rows,
/// from one read of the events in stream order, in one transaction. Marten's daemon rebuilds each projection with its own
/// pass over every event (its event loader was two thirds of the rebuild's CPU, once per projection) and writes each
/// document with an upsert; here the events are read once, each stream is folded by the projections' own functions
/// (<see cref="AccountProjection.Fold"/>, <see cref="ReserveTally"/>) while the folded documents of the streams before
/// are written by binary COPY on a second connection (docs/benchmarks.md, "The rebuild in one pass").
/// <para>
/// It must run with the service stopped, as Marten's rebuild must (README, <c>rebuild-read-models</c>): the reserve's
/// progress mark is set to the last event the read saw. Until the commit the previous read models stay as they were, for
/// everyone; a rebuild that fails or is stopped halfway changes nothing.
/// </para>
/// </summary>
public static class OnePassRebuild
{
    /// <summary>What was rebuilt: the events read (up to <c>HighWaterMark</c>), the account documents and the reserve's
    /// rows written.</summary>
    public sealed record Rebuilt(long Events, long Accounts, long ReserveRows, long HighWaterMark);

    /// <summary>The streams folded before their documents are handed to the writer.</summary>
    private const int StreamsPerBatch = 1_000;

    /// <summary>Marten's name for the account projection (it names the projection after its document).</summary>
    public static readonly string AccountProjectionName = typeof(Account).Name;

    private sealed record FoldedAccount(string Id, Account Account);

    private sealed record Batch(List<FoldedAccount> Accounts, ReserveTally Reserve);

    public static async Task<Rebuilt> RunAsync(IDocumentStore store, CancellationToken ct)
    {
        var options = (StoreOptions)store.Options;
        var schema = options.Events.DatabaseSchemaName;
        var accounts = store.Options.FindOrResolveDocumentType(typeof(Account)).TableName.QualifiedName;

        await using var writing = store.Storage.Database.CreateConnection();
        await writing.OpenAsync(ct);
        await using var tx = await writing.BeginTransactionAsync(ct);
        // Emptied in the rebuild's own transaction: until it commits, everyone else still reads the previous rows.
        // Truncated, as Marten's rebuild empties its tables: the schema owner's right (the service's role may not), so
        // a rebuild run as the service's role stops here, before any work, and changes nothing.
        await ExecuteAsync(writing, tx, $"truncate {accounts}, {schema}.{ReserveSchema.Table}", ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Batch>(
            new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true }
        );
        var reading = Task.Run(() => ReadAsync(store, batches.Writer, stop.Token), stop.Token);
        long written = 0,
            reserveRows = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                written += await CopyAccountsAsync(writing, accounts, batch.Accounts, stop.Token);
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
        return new Rebuilt(events, written, reserveRows, highWaterMark);
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
            // Only an enrolment can open an account, and only a payment counts in the reserve: the other events of a
            // stream with no account (a bank file, the rate schedule) are not even deserialised.
            Type[] opening = [typeof(Enrolled), typeof(ContributionPaid), typeof(AdvancePaid)];
            var opensOrCounts = opening.Select(t => graph.EventMappingFor(t).EventTypeName).ToHashSet();

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
                $"select stream_id, version, type, data from {schema}.mt_events where seq_id <= @mark "
                    + "order by stream_id, version",
                connection,
                snapshot
            );
            read.Parameters.AddWithValue("mark", highWaterMark);
            await using var reader = await read.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);

            long events = 0;
            var batch = new Batch([], new ReserveTally());
            string? stream = null;
            Account? account = null;
            while (await reader.ReadAsync(ct))
            {
                events++;
                var id = reader.GetString(0);
                if (id != stream)
                {
                    if (account is not null)
                        batch.Accounts.Add(new FoldedAccount(stream!, account));
                    if (batch.Accounts.Count >= StreamsPerBatch)
                    {
                        await batches.WriteAsync(batch, ct);
                        batch = new Batch([], new ReserveTally());
                    }
                    stream = id;
                    account = null;
                }
                var version = reader.GetInt64(1);
                var alias = reader.GetString(2);
                if (account is null && !opensOrCounts.Contains(alias))
                    continue;
                if (!types.TryGetValue(alias, out var type))
                    throw new InvalidOperationException(
                        $"Event {version} of stream {id} is of type '{alias}', which this ledger does not know: nothing was rebuilt."
                    );
                var data =
                    JsonSerializer.Deserialize(reader.GetString(3), type, LedgerSerializer.Json)
                    ?? throw new InvalidOperationException(
                        $"Event {version} of stream {id} has no data: nothing was rebuilt."
                    );
                account = AccountProjection.Fold(account, data, version);
                batch.Reserve.Add(id, data);
            }
            if (account is not null)
                batch.Accounts.Add(new FoldedAccount(stream!, account));
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

    /// <summary>
    /// Account documents as Marten's projection stores them (the store's serializer, the stream's version, the .NET
    /// type, the duplicated <c>episode_open</c>); the test <c>a_one_pass_rebuild_stores_what_martens_rebuild_stores</c>
    /// holds them equal column by column.
    /// </summary>
    private static async Task<long> CopyAccountsAsync(
        NpgsqlConnection connection,
        string table,
        List<FoldedAccount> accounts,
        CancellationToken ct
    )
    {
        if (accounts.Count == 0)
            return 0;
        var dotNetType = typeof(Account).FullName!;
        await using var rows = await connection.BeginBinaryImportAsync(
            $"copy {table} (id, data, mt_version, mt_dotnet_type, episode_open) from stdin (format binary)",
            ct
        );
        foreach (var (id, account) in accounts)
        {
            await rows.StartRowAsync(ct);
            await rows.WriteAsync(id, NpgsqlDbType.Varchar, ct);
            await rows.WriteAsync(LedgerSerializer.ToUtf8Json(account), NpgsqlDbType.Jsonb, ct);
            await rows.WriteAsync(account.Version, NpgsqlDbType.Bigint, ct);
            await rows.WriteAsync(dotNetType, NpgsqlDbType.Varchar, ct);
            await rows.WriteAsync(account.EpisodeOpen, NpgsqlDbType.Boolean, ct);
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

/// <summary>Every read model rebuilt: the account documents and the reserve in one pass, the other projections (the bank
/// files' reconciliations) by Marten's daemon, as <c>projections rebuild</c> does.</summary>
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
            .Except([ReserveYearProjection.Name, OnePassRebuild.AccountProjectionName])
            .ToList();
        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var name in others)
            await daemon.RebuildProjectionAsync(name, timeout, ct);
        return new Rebuilt(onePass, onePassTook, others, clock.Elapsed - onePassTook);
    }
}
