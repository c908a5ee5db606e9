using System.Text.Json;
using Marten;
using Npgsql;
using Salex.Projections;
using Salex.Projections.Accounts;
using Salex.Projections.Rebuild;
using Salex.Projections.Reserve;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// Rebuilding every read model from the events as `rebuild-read-models` does (the account documents and the reserve in
/// one pass, anything else by Marten's daemon) against a raw read of all events with deserialisation; and, for
/// information, Marten's daemon rebuilding the account and reserve projections as `projections rebuild` does.
/// </summary>
public static class Rebuild
{
    public sealed record Result(long Events, TimeSpan Ledger, ReadModels.Rebuilt Rebuilt, TimeSpan Accounts, TimeSpan Reserve, TimeSpan Daemon, TimeSpan Raw, long Deserialised)
    {
        public double LedgerPerSecond => Events / Ledger.TotalSeconds;
        public double DaemonPerSecond => Events / Daemon.TotalSeconds;
        public double RawPerSecond => Events / Raw.TotalSeconds;
    }

    /// <summary>At 1,000,000 persons (18.6 million events) a rebuild takes tens of minutes on two cores.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(4);

    /// <summary>Builds every read model; with <paramref name="measure"/>, times the raw read of the events first.</summary>
    public static async Task<Result> RunAsync(DocumentStore store, NpgsqlDataSource db, bool measure)
    {
        var events = await Raw.ScalarAsync(db, $"select count(*) from {LedgerStore.Schema}.mt_events");
        var types = await Raw.StoredEventTypesAsync(db);

        // The physical limit: every event read in order and turned back into its CLR type.
        var (deserialised, raw) = !measure ? (0L, TimeSpan.Zero) : await Measure.TimeAsync(async () =>
        {
            long count = 0;
            await using var conn = await db.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand($"select type, data from {LedgerStore.Schema}.mt_events order by seq_id", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var data = JsonSerializer.Deserialize(reader.GetString(1), types[reader.GetString(0)], Raw.Json);
                if (data is not null) count++;
            }
            return count;
        });

        await Raw.CheckpointAsync(db);
        var (rebuilt, ledger) = await Measure.TimeAsync(() => ReadModels.RebuildAsync(store, Timeout, CancellationToken.None));
        if (!measure)
            return new Result(events, ledger, rebuilt, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, raw, deserialised);

        await Raw.CheckpointAsync(db);
        using var daemon = await store.BuildProjectionDaemonAsync();
        // Both at once, as the JasperFx `projections rebuild` command rebuilds every projection (concurrently, one
        // shard each); its figure is the wall time of the whole.
        var (times, byDaemon) = await Measure.TimeAsync(() => Task.WhenAll(
            Measure.TimeAsync(() => daemon.RebuildProjectionAsync(typeof(AccountProjection), Timeout, CancellationToken.None)),
            Measure.TimeAsync(() => daemon.RebuildProjectionAsync(typeof(ReserveYearProjection), Timeout, CancellationToken.None))));
        return new Result(events, ledger, rebuilt, times[0], times[1], byDaemon, raw, deserialised);
    }
}
