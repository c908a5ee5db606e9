using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;
using NpgsqlTypes;

namespace Salex.Projections.Integrity;

/// <summary>
/// New streams written by binary COPY into Marten's <c>mt_streams</c> and <c>mt_events</c>, with the columns and values
/// Marten's <c>BulkInsertEventsAsync</c> writes (its event type names, .NET type names, serializer and tenant), in one
/// transaction a part. It is the migration path's writer only (<see cref="ChainedBulkLoad"/>): Marten's own bulk
/// insertion ran at 0.6 of a raw COPY's rate on the same rows (docs/benchmarks.md); this one is that COPY. The test
/// <c>a_history_copied_is_stored_as_martens_bulk_insertion_stores_it</c> holds the two equal column by column, so a
/// Marten upgrade that writes otherwise fails there.
/// </summary>
internal static class HistoryCopy
{
    /// <summary>The sequence numbers the part's events took: after <c>From</c>, up to <c>To</c>.</summary>
    public readonly record struct Copied(long From, long To, long Events);

    /// <summary>
    /// Copies whole new streams (a stream that already exists fails the part on <c>mt_streams</c>' primary key, and
    /// nothing of the part is kept). Sequence numbers are taken from Marten's sequence as one block, so the part's
    /// events are numbered contiguously in the order given.
    /// </summary>
    /// <param name="before">The part copied before this one, beside it: this part commits only once that one has, and
    /// rolls back if that one failed, so parts are kept in order, as if copied one after the other.</param>
    public static async Task<Copied> CopyAsync(
        IDocumentStore store,
        IReadOnlyList<StreamAction> streams,
        HistoryDocuments documents,
        Task? before,
        CancellationToken ct
    )
    {
        var options = (StoreOptions)store.Options;
        var graph = (EventGraph)options.Events;
        var schema = graph.DatabaseSchemaName;
        long count = 0;
        foreach (var stream in streams)
        {
            // Refused before anything of the part is written: a stream is known by its affiliation number and begins
            // with its first event.
            if (string.IsNullOrWhiteSpace(stream.Key) || stream.Events.Count == 0)
                throw new ArgumentException(
                    $"A history stream needs its key and at least one event ('{stream.Key}', {stream.Events.Count} events).",
                    nameof(streams)
                );
            count += stream.Events.Count;
        }

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // One block of numbers for the part, taken in a statement of its own (PostgreSQL runs it as one transaction):
        // the ALTER (it changes nothing) holds the sequence's lock between the nextval() and the setval(), so no number
        // of the block is handed out twice. The block is the part's whether or not the part commits: a part that fails
        // leaves a gap in the numbers, as any rolled-back append does, and the part beside it copies meanwhile.
        long first;
        await using (
            var take = new NpgsqlCommand(
                $"alter sequence {schema}.mt_events_sequence increment by 1; "
                    + $"select nextval('{schema}.mt_events_sequence'), setval('{schema}.mt_events_sequence', "
                    + $"currval('{schema}.mt_events_sequence') + greatest(@count - 1, 0))",
                connection
            )
        )
        {
            take.Parameters.AddWithValue("count", count);
            await using var reader = await take.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            first = reader.GetInt64(0);
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        // A part waits for a row of another only when both hold the same key (a stream, a bank transaction, a DUI): if
        // the other is the part after this one, it waits in turn for this one to commit, and neither would end. A
        // lock held this long ends this part instead (SQLSTATE 55P03), and the one after it with it.
        await using (
            var timeout = new NpgsqlCommand(
                $"set local lock_timeout = '{ChainedBulkLoad.PartLockTimeout.TotalMilliseconds}ms'",
                connection,
                tx
            )
        )
            await timeout.ExecuteNonQueryAsync(ct);

        await using (
            var rows = await connection.BeginBinaryImportAsync(
                $"copy {schema}.mt_streams (id, type, version, tenant_id, is_archived) from stdin (format binary)",
                ct
            )
        )
        {
            foreach (var stream in streams)
            {
                await rows.StartRowAsync(ct);
                await rows.WriteAsync(stream.Key!, NpgsqlDbType.Varchar, ct);
                await WriteOrNullAsync(
                    rows,
                    stream.AggregateType is null ? null : graph.AggregateAliasFor(stream.AggregateType),
                    ct
                );
                await rows.WriteAsync((long)stream.Events.Count, NpgsqlDbType.Bigint, ct);
                await rows.WriteAsync(
                    stream.TenantId ?? JasperFx.StorageConstants.DefaultTenantId,
                    NpgsqlDbType.Varchar,
                    ct
                );
                await rows.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            }
            await rows.CompleteAsync(ct);
        }

        var names = new Dictionary<Type, (string Alias, string DotNet)>();
        var sequence = first;
        var now = DateTimeOffset.UtcNow;
        await using (
            var rows = await connection.BeginBinaryImportAsync(
                $"""
                copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                    correlation_id, causation_id, headers, user_name, is_archived) from stdin (format binary)
                """,
                ct
            )
        )
        {
            foreach (var stream in streams)
            {
                var version = 0L;
                foreach (var e in stream.Events)
                {
                    var type = e.Data.GetType();
                    if (!names.TryGetValue(type, out var name))
                    {
                        var mapping = graph.EventMappingFor(type);
                        names[type] = name = (mapping.EventTypeName, mapping.DotNetTypeName);
                    }
                    await rows.StartRowAsync(ct);
                    await rows.WriteAsync(sequence++, NpgsqlDbType.Bigint, ct);
                    await rows.WriteAsync(e.Id == Guid.Empty ? Guid.CreateVersion7() : e.Id, NpgsqlDbType.Uuid, ct);
                    await rows.WriteAsync(stream.Key!, NpgsqlDbType.Varchar, ct);
                    await rows.WriteAsync(++version, NpgsqlDbType.Bigint, ct);
                    await rows.WriteAsync(LedgerSerializer.ToUtf8Json(e.Data), NpgsqlDbType.Jsonb, ct);
                    await rows.WriteAsync(name.Alias, NpgsqlDbType.Varchar, ct);
                    await rows.WriteAsync(e.Timestamp == default ? now : e.Timestamp, NpgsqlDbType.TimestampTz, ct);
                    await rows.WriteAsync(
                        e.TenantId ?? stream.TenantId ?? JasperFx.StorageConstants.DefaultTenantId,
                        NpgsqlDbType.Varchar,
                        ct
                    );
                    await rows.WriteAsync(name.DotNet, NpgsqlDbType.Varchar, ct);
                    await WriteOrNullAsync(rows, e.CorrelationId, ct);
                    await WriteOrNullAsync(rows, e.CausationId, ct);
                    if (e.Headers is null)
                        await rows.WriteNullAsync(ct);
                    else
                        await rows.WriteAsync(LedgerSerializer.ToUtf8Json(e.Headers), NpgsqlDbType.Jsonb, ct);
                    await WriteOrNullAsync(rows, e.UserName, ct);
                    await rows.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                }
            }
            await rows.CompleteAsync(ct);
        }

        // The documents the live paths write beside the events, in the same transaction.
        await CopyDocumentsAsync(store, connection, documents.Receipts, ct);
        await CopyDocumentsAsync(store, connection, documents.Registrations, ct);
        if (before is not null)
            await before;
        // After the part before it has committed: the parts' conditional moves of the sequence (it is not
        // transactional) come one after the other, so it never moves back below a number loaded.
        if (documents.HighestAffiliationSequence > 0)
            await using (
                var numbers = new NpgsqlCommand(
                    $"select setval('{LedgerStore.Schema}.affiliation_number_seq', @n) "
                        + $"where @n >= (select last_value from {LedgerStore.Schema}.affiliation_number_seq)",
                    connection,
                    tx
                )
            )
            {
                numbers.Parameters.AddWithValue("n", documents.HighestAffiliationSequence);
                await numbers.ExecuteNonQueryAsync(ct);
            }
        await tx.CommitAsync(ct);
        return new Copied(first - 1, sequence - 1, count);
    }

    /// <summary>
    /// Documents written by binary COPY with the columns Marten writes for them (its table, the document's JSON by the
    /// store's serializer, a new version, the .NET type and the duplicated fields); the test
    /// <c>a_loaded_history_gets_the_receipts_its_money_got_when_it_was_recorded</c> holds them equal to what the service
    /// stores, column by column.
    /// </summary>
    private static async Task CopyDocumentsAsync(
        IDocumentStore store,
        NpgsqlConnection connection,
        DocumentRows documents,
        CancellationToken ct
    )
    {
        if (documents.Rows.Count == 0)
            return;
        var table = store.Options.FindOrResolveDocumentType(documents.DocumentType).TableName.QualifiedName;
        var columns = string.Join(", ", ["id", "data", "mt_version", "mt_dotnet_type", .. documents.Columns]);
        var dotNetType = documents.DocumentType.FullName!;
        await using var rows = await connection.BeginBinaryImportAsync(
            $"copy {table} ({columns}) from stdin (format binary)",
            ct
        );
        foreach (var (id, json, duplicated) in documents.Rows)
        {
            await rows.StartRowAsync(ct);
            await rows.WriteAsync(id, NpgsqlDbType.Varchar, ct);
            await rows.WriteAsync(json, NpgsqlDbType.Jsonb, ct);
            await rows.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
            await rows.WriteAsync(dotNetType, NpgsqlDbType.Varchar, ct);
            foreach (var value in duplicated)
                await rows.WriteAsync(value, NpgsqlDbType.Varchar, ct);
        }
        await rows.CompleteAsync(ct);
    }

    private static Task WriteOrNullAsync(NpgsqlBinaryImporter rows, string? value, CancellationToken ct) =>
        value is null ? rows.WriteNullAsync(ct) : rows.WriteAsync(value, NpgsqlDbType.Varchar, ct);
}
