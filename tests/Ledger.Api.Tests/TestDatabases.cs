using System.Text;
using Npgsql;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The run's database (<c>LEDGER_TEST_CONNECTION</c>; <c>salex_test</c> by default, as <c>test.sh</c> sets it) and the
/// databases that some tests need of their own on the same server. Those are named after the run's database
/// (<c>salex_test_edge</c>, <c>salex_test_webhooks</c>, ...): two runs on one PostgreSQL with different test databases
/// then never empty, drop or take over each other's.
/// </summary>
public static class TestDatabases
{
    public const string DefaultConnection = "Host=127.0.0.1;Port=55432;Database=salex_test;Username=postgres";

    /// <summary>PostgreSQL cuts longer names silently, which could make two runs' names one again.</summary>
    private const int MaxNameBytes = 63;

    public static string Connection =>
        Environment.GetEnvironmentVariable("LEDGER_TEST_CONNECTION") ?? DefaultConnection;

    /// <summary>The database of this run for one purpose: "edge" is <c>salex_test_edge</c> on <c>salex_test</c>.</summary>
    public static string Name(string purpose) => NameFor(Connection, purpose);

    public static string NameFor(string testConnection, string purpose)
    {
        var name = $"{new NpgsqlConnectionStringBuilder(testConnection).Database}_{purpose}";
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw new InvalidOperationException(
                $"The test database '{name}' would be longer than PostgreSQL's {MaxNameBytes} bytes: "
                    + "give LEDGER_TEST_CONNECTION a shorter database name."
            );
        return name;
    }

    /// <summary>The run's connection, on the database of that purpose.</summary>
    public static NpgsqlConnectionStringBuilder Of(string purpose) => new(Connection) { Database = Name(purpose) };

    /// <summary>Creates the database of that purpose unless it exists (it is kept between runs).</summary>
    public static async Task EnsureAsync(string purpose)
    {
        await using var server = await OpenServerAsync();
        await using var exists = new NpgsqlCommand("select count(*) from pg_database where datname = $1", server)
        {
            Parameters = { new() { Value = Name(purpose) } },
        };
        if ((long)(await exists.ExecuteScalarAsync())! == 0)
            await ExecuteAsync(server, $"create database {Quoted(Name(purpose))}");
    }

    /// <summary>Drops the database of that purpose, closing its connections, and creates it empty.</summary>
    public static async Task RecreateAsync(string purpose)
    {
        await using var server = await OpenServerAsync();
        await ExecuteAsync(server, $"drop database if exists {Quoted(Name(purpose))} with (force)");
        await ExecuteAsync(server, $"create database {Quoted(Name(purpose))}");
    }

    /// <summary>Runs <paramref name="test"/> on a database of that purpose created empty for it (given its connection
    /// string), then drops it, its pooled connections cleared first, whether the test passed or not.</summary>
    public static async Task WithFreshAsync(string purpose, Func<string, Task> test)
    {
        await RecreateAsync(purpose);
        try
        {
            await test(Of(purpose).ConnectionString);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DropAsync(purpose);
        }
    }

    /// <summary>Drops the database of that purpose, closing its connections.</summary>
    public static async Task DropAsync(string purpose)
    {
        await using var server = await OpenServerAsync();
        await ExecuteAsync(server, $"drop database if exists {Quoted(Name(purpose))} with (force)");
    }

    /// <summary>The server's maintenance database, where databases are created and dropped; unpooled, so that no
    /// idle connection of it is left behind.</summary>
    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var server = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(Connection) { Database = "postgres", Pooling = false }.ConnectionString
        );
        await server.OpenAsync();
        return server;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A name taken from the environment, as a quoted identifier (a database name cannot be a parameter).</summary>
    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
