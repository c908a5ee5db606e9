using Marten;
using Salex.Ledger.Accounts;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// `projections rebuild` empties the inline account documents and writes them again: beside a running service it left
/// acknowledged payments out of their accounts (README, "verify-projections"). It refuses to start while a ledger
/// process is connected to the database, and runs when none is.
/// </summary>
public sealed class RebuildGuardTests(LedgerHost fixture) : LedgerTest(fixture)
{
    /// <summary>Whatever the command's case (JasperFx accepts any), and whatever the rebuild's own connection string
    /// names its sessions: the nodes keep the ledger's name.</summary>
    [Theory]
    [InlineData("projections rebuild", "")]
    [InlineData("PROJECTIONS rebuild", "")]
    [InlineData("projections 1", "")]
    [InlineData("projections list,rebuild", "")]
    [InlineData("rebuild-read-models", "")]
    [InlineData("Rebuild-Read-Models", "")]
    [InlineData("rebuild-read-models", ";Application Name=ops")]
    public async Task a_rebuild_does_not_start_while_a_ledger_is_connected_to_the_database(string command, string setting)
    {
        // The test host is a running ledger on the run's database: its pools hold sessions there.
        var number = await Host.EnrolAsync();

        var (code, stderr, stdout) = await StartFailureProcessTests.RunWithOutputAsync(
            command.Split(' '),
            ("ConnectionStrings__Ledger", TestDatabases.Connection + setting)
        );

        code.ShouldBe(1, stdout);
        stderr.ShouldContain("The rebuild did not start: ");
        stderr.ShouldContain("of a running ledger or rebuild ('");
        stderr.ShouldContain("'salex-ledger'");
        stderr.ShouldContain("are open on database");
        stderr.ShouldContain("stop every node");
        await using var session = Fixture.Store.QuerySession();
        (await session.LoadAsync<Account>(number)).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("projections rebuild")]
    [InlineData("rebuild-read-models")]
    public Task a_rebuild_runs_when_no_ledger_is_connected(string command) =>
        TestDatabases.WithFreshAsync("rebuild", async database =>
        {
            var onDatabase = ("ConnectionStrings__Ledger", database);
            (await StartFailureProcessTests.RunWithOutputAsync(["db-apply"], onDatabase)).ExitCode.ShouldBe(0);

            var (code, stderr, stdout) = await StartFailureProcessTests.RunWithOutputAsync(command.Split(' '), onDatabase);

            code.ShouldBe(0, stderr + stdout);
            stderr.ShouldNotContain("The rebuild did not start");
            if (command == "rebuild-read-models")
                stdout.ShouldContain("0 bank files' reconciliations and 0 reserve rows (year and insured) in one pass and one transaction");
        });

    [Fact]
    public Task rebuild_read_models_as_the_service_role_says_to_run_it_as_the_schema_owner() =>
        TestDatabases.WithFreshAsync("rebuild-role", async asOwner =>
        {
            (await StartFailureProcessTests.RunWithOutputAsync(["db-apply"], ("ConnectionStrings__Ledger", asOwner))).ExitCode.ShouldBe(0);
            var asService = new Npgsql.NpgsqlConnectionStringBuilder(asOwner) { Username = Salex.Projections.LedgerStore.DefaultApplicationRole };

            var (code, stderr, stdout) = await StartFailureProcessTests.RunWithOutputAsync(
                ["rebuild-read-models"],
                ("ConnectionStrings__Ledger", asService.ConnectionString)
            );

            code.ShouldBe(1, stderr + stdout);
            stderr.ShouldContain("The read models were not rebuilt: emptying them is the schema owner's right");
            stderr.ShouldContain("run it as the schema owner");
            stderr.ShouldContain("Nothing was changed.");
            stderr.ShouldNotContain("   at ");
        });

    [Fact]
    public Task rebuild_read_models_before_db_apply_says_to_run_it_first() =>
        TestDatabases.WithFreshAsync("rebuild-empty", async empty =>
        {
            var (code, stderr, stdout) = await StartFailureProcessTests.RunWithOutputAsync(
                ["rebuild-read-models"],
                ("ConnectionStrings__Ledger", empty),
                ("ASPNETCORE_ENVIRONMENT", "Production"),
                ("DOTNET_ENVIRONMENT", "Production")
            );

            code.ShouldBe(1, stderr + stdout);
            stderr.ShouldContain("The read models were not rebuilt: the ledger's schema is not there: run db-apply first");
            stderr.ShouldNotContain("   at ");
        });

    /// <summary>JasperFx reads the projections action by name in any case, by number, padded or as a comma list: only
    /// a plain listing is let through beside a running ledger.</summary>
    [Theory]
    [InlineData("projections list", false)]
    [InlineData("projections LIST", false)]
    [InlineData("projections 0", false)]
    [InlineData("verify-projections", false)]
    [InlineData("help projections", false)]
    [InlineData("projections", true)]
    [InlineData("projections run", true)]
    [InlineData("projections 1", true)]
    [InlineData("projections 01", true)]
    [InlineData("projections list,rebuild", true)]
    [InlineData("projections -p Account rebuild", true)]
    [InlineData("REBUILD-READ-MODELS", true)]
    public void what_counts_as_a_rebuild(string command, bool rebuild) =>
        Salex.Ledger.Api.Infrastructure.RebuildGuard.IsRebuild(command.Split(' ')).ShouldBe(rebuild);
}
