using Marten;
using Npgsql;

namespace Salex.Projections.Integrity;

/// <summary>
/// Whether the hash chain is on: the chain's trigger exists on <c>mt_events</c> and is enabled. A history load
/// (<see cref="ChainedBulkLoad"/>) turns it off while it copies and on again when it ends, however it ends, unless its
/// process is killed: then it stays off until the next <c>db-apply</c>, and every event appended meanwhile would go
/// unhashed, silently (a hole in the tamper evidence that verification later reports as a broken chain). A process
/// that records events checks this before it does: the service at start and in <c>/health</c>, the command-line import.
/// </summary>
public static class EventChainGuard
{
    /// <summary>What is wrong with the chain, or null when it is on.</summary>
    public static async Task<string?> ProblemAsync(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            select t.tgenabled::text from pg_trigger t
            join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = @schema and c.relname = 'mt_events' and t.tgname = @trigger
            """,
            connection
        );
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("trigger", EventChainSchema.TriggerName);
        return await command.ExecuteScalarAsync(ct) switch
        {
            null => $"the event chain's trigger ({schema}.mt_events {EventChainSchema.TriggerName}) does not exist: "
                + "apply the schema (db-apply)",
            "D" =>
                $"the event chain's trigger ({schema}.mt_events {EventChainSchema.TriggerName}) is disabled: a history "
                    + "load is running or was interrupted; once no load runs, apply the schema (db-apply) and complete the "
                    + "chains (complete-chains)",
            _ => null,
        };
    }

    /// <summary>Throws, naming the problem, unless the chain is on.</summary>
    public static async Task EnsureOnAsync(IDocumentStore store, CancellationToken ct)
    {
        if (await ProblemAsync(store, ct) is { } problem)
            throw new InvalidOperationException($"Events cannot be recorded: {problem}.");
    }
}
