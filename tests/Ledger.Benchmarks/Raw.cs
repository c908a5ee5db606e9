using System.Text.Json;
using Marten;
using NodaTime;
using Npgsql;
using Salex.Projections;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// The raw side of every comparison: plain tables in the schema <c>bench_raw</c> with the same columns as
/// Marten's, written and read with Npgsql only, and JSON through System.Text.Json with the same settings
/// as the store's serializer.
/// </summary>
public static class Raw
{
    public const string Schema = "bench_raw";

    // The ledger's own converters (LedgerSerializer.Options), so that the raw read deserialises as fast as the ledger can.
    public static readonly JsonSerializerOptions Json = LedgerSerializer.Json;

    /// <summary>A clean start: the ledger's schema, the raw tables (and Wolverine's tables, which live in the ledger's schema) go.</summary>
    public static async Task ResetAsync(NpgsqlDataSource db)
    {
        await ExecAsync(db, $"drop schema if exists {LedgerStore.Schema} cascade; drop schema if exists {Schema} cascade; create schema {Schema};");
    }

    /// <summary>Tables like Marten's, with their primary key and nothing else: the plain tables of the baselines.</summary>
    public static async Task CreateLikeAsync(NpgsqlDataSource db, string name, string likeTable, string primaryKey)
    {
        await ExecAsync(db, $"""
            drop table if exists {Schema}.{name};
            create table {Schema}.{name} (like {LedgerStore.Schema}.{likeTable} including defaults);
            alter table {Schema}.{name} add primary key ({primaryKey});
            """);
    }

    public static async Task ExecAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Whether the database holds the population of this size and seed as seeded (for <c>--reuse</c>).</summary>
    public static async Task<bool> HoldsPopulationAsync(NpgsqlDataSource db, int size, int seed)
    {
        await ExecAsync(db, $"create schema if not exists {Schema}; create table if not exists {Schema}.seeded (size int, seed int)");
        return await ScalarAsync(db, $"select count(*) from {Schema}.seeded where size = {size} and seed = {seed}") == 1;
    }

    /// <summary>Records that the population is seeded, or (<paramref name="size"/> null) that a workload changed it.</summary>
    public static Task MarkPopulationAsync(NpgsqlDataSource db, int? size, int seed) => ExecAsync(db,
        $"create table if not exists {Schema}.seeded (size int, seed int); delete from {Schema}.seeded;"
        + (size is { } n ? $" insert into {Schema}.seeded values ({n}, {seed})" : ""));

    /// <summary>Waits until every projection the async daemon tracks has reached the last event (at most 10 minutes);
    /// answers how long that took.</summary>
    public static async Task<TimeSpan> DaemonCaughtUpAsync(NpgsqlDataSource db)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var behind = $"select count(*) from {LedgerStore.Schema}.mt_event_progression " +
                     $"where last_seq_id < (select coalesce(max(seq_id), 0) from {LedgerStore.Schema}.mt_events)";
        while (await ScalarAsync(db, behind) > 0)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("The API's async daemon did not catch up within 10 minutes.");
            await Task.Delay(100);
        }
        return waited.Elapsed;
    }

    /// <summary>Flushes dirty pages before a timed write, so one workload does not pay for the previous one's.</summary>
    public static Task CheckpointAsync(NpgsqlDataSource db) => ExecAsync(db, "checkpoint");

    /// <summary>The alias Marten stores in <c>mt_events.type</c> for an event type, and its .NET type name.</summary>
    public static (string Alias, string DotNetName) EventTypeOf(IDocumentStore store, Type type)
    {
        var mapping = ((Marten.Events.EventGraph)((StoreOptions)store.Options).Events).EventMappingFor(type);
        return (mapping.EventTypeName, mapping.DotNetTypeName);
    }

    /// <summary>The CLR type of each alias found in <c>mt_events</c>, from the .NET type name stored beside it.</summary>
    public static async Task<IReadOnlyDictionary<string, Type>> StoredEventTypesAsync(NpgsqlDataSource db)
    {
        var types = new Dictionary<string, Type>();
        await using var cmd = db.CreateCommand($"select distinct type, mt_dotnet_type from {LedgerStore.Schema}.mt_events");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            types[reader.GetString(0)] = Type.GetType(reader.GetString(1), throwOnError: true)!;
        return types;
    }
}
