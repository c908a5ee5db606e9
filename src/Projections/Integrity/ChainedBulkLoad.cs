using JasperFx.Events;
using Marten;
using Npgsql;

namespace Salex.Projections.Integrity;

/// <summary>
/// The migration path for a whole history (README "Loading a history"): Marten's bulk insertion (binary COPY) with
/// the hash-chain trigger disabled, then every missing hash computed set-based, then the tables analysed. The
/// trigger would hash each row as the COPY inserts it (a SHA-256 and an index lookup per event, which made a bulk
/// load 2.7 times slower; docs/benchmarks.md); here the chain of every stream is computed afterwards by
/// <see cref="CompleteChainsAsync"/>, with the trigger's SQL hash expression, so the hashes are the ones the trigger
/// would have written. Run it with no other writer (the API stopped): while the trigger is off, an append by someone
/// else would get no hash, and an append to a loaded stream before its chain is complete would link to nothing. The
/// trigger is enabled again however the load ends; if the process dies first, the next <c>db-apply</c> (or a
/// Development start) puts it back, and the <c>complete-chains</c> command computes whatever hashes are missing.
/// Needs the schema owner's connection (disabling a trigger is the table owner's right, not the application role's).
/// </summary>
public static class ChainedBulkLoad
{
    public sealed record Result(TimeSpan Copy, TimeSpan Chain, long Hashed);

    public static Task<Result> LoadAsync(
        IDocumentStore store,
        IReadOnlyList<StreamAction> streams,
        CancellationToken ct
    ) => LoadAsync(store, [streams], ct);

    /// <summary>
    /// The same, for a history too large to hold at once: the shares are enumerated one after the other (each is built
    /// only when the load reaches it and can be collected after), all inside one trigger-off window, and the chains
    /// are computed once at the end.
    /// </summary>
    public static async Task<Result> LoadAsync(
        IDocumentStore store,
        IEnumerable<IReadOnlyList<StreamAction>> shares,
        CancellationToken ct
    )
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var copy = System.Diagnostics.Stopwatch.StartNew();
        // Where Marten may create or patch the schema (Development, tests), a store's first bulk insertion applies the
        // whole schema, which would put the disabled trigger back: an empty insertion lets it do that first.
        await store.BulkInsertEventsAsync([], cancellation: ct);
        await ExecAsync(store, $"alter table {schema}.mt_events disable trigger {EventChainSchema.TriggerName}", ct);
        try
        {
            foreach (var streams in shares)
                await store.BulkInsertEventsAsync(streams, cancellation: ct);
        }
        finally
        {
            await ExecAsync(store, $"alter table {schema}.mt_events enable trigger {EventChainSchema.TriggerName}", ct);
        }
        copy.Stop();
        var chain = System.Diagnostics.Stopwatch.StartNew();
        var hashed = await CompleteChainsAsync(store, ct);
        await ExecAsync(
            store,
            $"analyze {schema}.mt_streams; analyze {schema}.mt_events; analyze {schema}.{EventChainSchema.HashesTable}",
            ct
        );
        return new Result(copy.Elapsed, chain.Elapsed, hashed);
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

    private static async Task ExecAsync(IDocumentStore store, string sql, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
