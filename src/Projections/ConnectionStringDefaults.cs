using System.Data.Common;
using Npgsql;

namespace Salex.Projections;

/// <summary>
/// Settings the ledger gives its connection pools where the connection string says nothing of them. A key the
/// connection string sets, in any of Npgsql's spellings, is left as it is.
/// </summary>
public static class ConnectionStringDefaults
{
    /// <summary>
    /// The name every pool of the ledger gives its sessions in PostgreSQL (<c>pg_stat_activity.application_name</c>),
    /// unless the connection string names one: an operator sees which sessions are the ledger's, and a rebuild of the
    /// read models refuses to start while any is open (<c>RebuildGuard</c>).
    /// </summary>
    public const string ApplicationName = "salex-ledger";

    /// <summary>Statements prepared per connection of the store's pool, the most used kept (Npgsql's LRU).</summary>
    public const int WriteStatementsPrepared = 64;

    /// <summary>
    /// The store's pool (writes, the daemon, Wolverine's inbox and outbox): Npgsql prepares a statement once it has
    /// been sent twice on a connection. A bank file's batch sends the same few statements hundreds of times (one
    /// append, one account upsert, one receipt per line), which PostgreSQL otherwise parses and plans every time
    /// (docs/benchmarks.md, "Prepared writes"). Statements stay prepared across the pool's reset of a returned
    /// connection, which keeps them.
    /// </summary>
    public static string ForWrites(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        NameTheSessions(builder, connectionString);
        if (!Sets(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
            builder.MaxAutoPrepare = WriteStatementsPrepared;
        if (!Sets(connectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
            builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    /// <summary>Gives the sessions the ledger's <see cref="ApplicationName"/> unless the connection string names them.</summary>
    public static void NameTheSessions(NpgsqlConnectionStringBuilder builder, string connectionString)
    {
        if (!Sets(connectionString, "Application Name", "ApplicationName"))
            builder.ApplicationName = ApplicationName;
    }

    /// <summary>Whether the connection string sets one of these keys (spaces and case aside). Only keys count: a
    /// password or a database name that contains a key's name does not.</summary>
    public static bool Sets(string connectionString, params string[] keys)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }
            .Keys.Cast<string>()
            .Select(Normal)
            .ToHashSet();
        return keys.Any(k => given.Contains(Normal(k)));
    }

    private static string Normal(string key) => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
