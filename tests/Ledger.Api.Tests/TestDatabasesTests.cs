using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The databases that tests make for themselves were fixed names (salex_edge, salex_reads, salex_webhooks_test, ...):
/// two runs on one PostgreSQL, each with its own LEDGER_TEST_CONNECTION database, dropped or emptied each other's.
/// They are named after the run's database now.
/// </summary>
public sealed class TestDatabasesTests
{
    private static readonly string[] Purposes = ["edge", "reads", "webhooks", "chain_guard", "console"];

    private static string Run(string database) => $"Host=127.0.0.1;Port=55432;Database={database};Username=postgres";

    [Fact]
    public void a_runs_own_databases_are_named_after_its_test_database()
    {
        TestDatabases.NameFor(TestDatabases.DefaultConnection, "edge").ShouldBe("salex_test_edge");
        TestDatabases.NameFor(Run("salex_ci_7"), "webhooks").ShouldBe("salex_ci_7_webhooks");
        foreach (var purpose in Purposes)
            TestDatabases
                .NameFor(Run("salex_test"), purpose)
                .ShouldNotBe(TestDatabases.NameFor(Run("salex_ci_7"), purpose), purpose);
    }

    [Fact]
    public void a_name_past_postgresqls_limit_is_refused_rather_than_cut()
    {
        var run = Run(new string('a', 60));

        Should
            .Throw<InvalidOperationException>(() => TestDatabases.NameFor(run, "console"))
            .Message.ShouldContain("LEDGER_TEST_CONNECTION");
    }
}
