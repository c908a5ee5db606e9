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
    /// <summary>The ledger's <c>rebuild-read-models</c>, or the JasperFx <c>projections</c> command unless it only
    /// lists the projections.</summary>
    /// <remarks>
    /// JasperFx matches command names in any case (<c>PROJECTIONS rebuild</c> ran the rebuild) and reads the
    /// <c>projections</c> action as an enum: by name in any case, by number (<c>projections 1</c>), padded, or as a
    /// comma list (<c>list,rebuild</c>); each of those ran Marten's rebuild beside live nodes. So anything but a plain
    /// <c>projections list</c> counts as a rebuild here: refusing a harmless <c>projections run</c> while the service
    /// runs costs nothing, letting a rebuild through does.
    /// </remarks>
    public static bool IsRebuild(string[] args)
    {
        if (args.Length == 0)
            return false;
        if (args[0].Equals("rebuild-read-models", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!args[0].Equals("projections", StringComparison.OrdinalIgnoreCase))
            return false;
        var action = args.Skip(1).Select(a => a.Trim()).ToList();
        return !(
            action.Count == 1 && (action[0].Equals("list", StringComparison.OrdinalIgnoreCase) || action[0] == "0")
        );
    }

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
