using Npgsql;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The store's pool prepares repeated statements (docs/benchmarks.md, "Prepared writes"), keeps them across
/// the reset of a returned connection, and leaves alone what the connection string sets.</summary>
public sealed class WritePoolTests
{
    private static string TestConnection =>
        Environment.GetEnvironmentVariable("LEDGER_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=55432;Database=salex_test;Username=postgres";

    [Fact]
    public void a_silent_connection_string_gets_prepared_statements()
    {
        var writes = new NpgsqlConnectionStringBuilder(ConnectionStringDefaults.ForWrites("Host=db;Database=salex"));

        writes.MaxAutoPrepare.ShouldBe(ConnectionStringDefaults.WriteStatementsPrepared);
        writes.AutoPrepareMinUsages.ShouldBe(2);
        writes.NoResetOnClose.ShouldBeFalse();
        writes.ApplicationName.ShouldBe(ConnectionStringDefaults.ApplicationName);
        writes.Host.ShouldBe("db");
    }

    [Fact]
    public void values_the_connection_string_sets_are_kept_in_any_spelling()
    {
        var writes = new NpgsqlConnectionStringBuilder(
            ConnectionStringDefaults.ForWrites("Host=db;maxautoprepare=0;Auto Prepare Min Usages=9;applicationname=node-1")
        );

        writes.ApplicationName.ShouldBe("node-1");
        writes.MaxAutoPrepare.ShouldBe(0);
        writes.AutoPrepareMinUsages.ShouldBe(9);
    }

    [Fact]
    public void a_key_named_inside_a_value_does_not_count_as_set()
    {
        const string cs = "Host=db;Password=NoResetOnClose=false MaxAutoPrepare;Database=Max Pool Size";

        ConnectionStringDefaults.Sets(cs, "Max Auto Prepare", "MaxAutoPrepare").ShouldBeFalse();
        var reads = new NpgsqlConnectionStringBuilder(StandbyReads.ForReads(cs));
        reads.NoResetOnClose.ShouldBeTrue();
        reads.MaxAutoPrepare.ShouldBe(16);
        reads.MaxPoolSize.ShouldBe(StandbyReads.MaxPoolSize);
        reads.Password.ShouldBe("NoResetOnClose=false MaxAutoPrepare");
    }

    [Fact]
    public async Task a_statement_prepared_on_a_connection_stays_prepared_after_the_pool_resets_it()
    {
        // A pool of one connection of its own, so that the second open gets the same physical connection back.
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStringDefaults.ForWrites(TestConnection))
        {
            MaxPoolSize = 1,
            ApplicationName = "write-pool-test",
        };
        await using var db = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var conn = await db.OpenConnectionAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                await using var cmd = new NpgsqlCommand("select $1::int + 1 as write_pool_probe", conn);
                cmd.Parameters.AddWithValue(i);
                await cmd.ExecuteScalarAsync();
            }
        }

        await using (var conn = await db.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand(
                "select count(*) from pg_prepared_statements where statement like '%write_pool_probe%'",
                conn
            );
            ((long)(await cmd.ExecuteScalarAsync())!).ShouldBe(1);
        }
    }
}
