using Npgsql;
using Salex.Projections;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// A rebuild of the read models empties the inline account documents and writes them again from the events it read.
/// Beside a running service, payments made meanwhile were answered 404 or left out of their account's document, and
/// the next payment was decided on that stale document (README, "verify-projections"). So <c>projections rebuild</c>
/// does not start while a ledger process holds a connection to the database: every pool of the ledger names itself to
/// PostgreSQL (<see cref="ConnectionStringDefaults.ApplicationName"/>), and PostgreSQL lists the sessions by name,
/// whichever node, durability mode or environment opened them.
/// </summary>
public static class RebuildGuard
{
    /// <summary>The ledger's <c>rebuild-read-models</c>, or the JasperFx <c>projections</c> command with its
    /// <c>rebuild</c> action.</summary>
    /// <remarks>
    /// JasperFx matches command names in any case (<c>PROJECTIONS rebuild</c> ran the rebuild), so this does too.
    /// </remarks>
    public static bool IsRebuild(string[] args) =>
        args.Length > 0 && args[0].Equals("rebuild-read-models", StringComparison.OrdinalIgnoreCase)
        || args.Length > 1
            && args[0].Equals("projections", StringComparison.OrdinalIgnoreCase)
            && args.Skip(1).Any(a => a.Equals("rebuild", StringComparison.OrdinalIgnoreCase));

    /// <summary>Why the rebuild may not start now, or null when no ledger process is connected.</summary>
    public static async Task<string?> ProblemAsync(string connectionString, CancellationToken ct)
    {
        // The name the nodes' pools carry with this configuration; this check's own session is named otherwise.
        var ledger = new NpgsqlConnectionStringBuilder(ConnectionStringDefaults.ForWrites(connectionString));
        var check = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = ledger.ApplicationName + " (rebuild check)",
        };
        await using var connection = new NpgsqlConnection(check.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "select count(*)::int from pg_stat_activity "
                + "where datname = current_database() and application_name = any($1) and pid <> pg_backend_pid()",
            connection
        );
        // The nodes' name as this configuration gives it, and the ledger's default: a rebuild whose own connection string
        // names its sessions otherwise (an operator's "Application Name=ops") must still see nodes that keep the default.
        var names = new[] { ledger.ApplicationName ?? "", ConnectionStringDefaults.ApplicationName }
            .Distinct()
            .ToArray();
        command.Parameters.AddWithValue(names);
        var sessions = (int)(await command.ExecuteScalarAsync(ct))!;
        return sessions == 0
            ? null
            : $"{sessions} session(s) of a running ledger or rebuild ('{string.Join("' or '", names)}') are open on database "
                + $"{connection.Database}: stop every node of the service first (a rebuild beside it leaves payments "
                + "out of their account documents), then run the rebuild again.";
    }
}
