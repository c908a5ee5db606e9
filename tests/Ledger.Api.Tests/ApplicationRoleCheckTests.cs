using Salex.Ledger.Api.Infrastructure;
using Salex.Projections;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// <c>Ledger:ApplicationRole</c> naming a role that does not exist: <c>db-apply</c> (and a start that creates the
/// schema) skipped its grants without a word and went on, so the role the service really connects as went without its
/// rights, and a role created later without the events' protection. A role other than the default now stops it before
/// anything is applied, naming the setting and the role (exit 78); the default one missing is a warning.
/// </summary>
public sealed class ApplicationRoleCheckTests
{
    private const string NoSuchRole = "salex_no_such_role";

    [Fact]
    public Task db_apply_stops_on_an_application_role_that_does_not_exist() =>
        TestDatabases.WithFreshAsync(
            "role_check",
            async database =>
            {
                var (code, stderr, stdout) = await StartFailureProcessTests.RunWithOutputAsync(
                    ["db-apply"],
                    ("ConnectionStrings__Ledger", database),
                    ("Ledger__ApplicationRole", NoSuchRole)
                );

                ShouldStopNamingTheRole(code, stderr, stdout);
                stderr.Trim().ShouldNotContain("\n");
                (stderr + stdout).ShouldNotContain(" at ");
                // Nothing applied: not even the schema.
                await using var connection = new Npgsql.NpgsqlConnection(database);
                await connection.OpenAsync();
                await using var schema = new Npgsql.NpgsqlCommand(
                    "select count(*) from pg_namespace where nspname = 'salex'",
                    connection
                );
                ((long)(await schema.ExecuteScalarAsync())!).ShouldBe(0);
            }
        );

    /// <summary>The same at a start that creates the schema (Development): it started, the grants skipped.</summary>
    [Fact]
    public Task a_development_start_stops_on_an_application_role_that_does_not_exist() =>
        TestDatabases.WithFreshAsync(
            "role_check",
            async database =>
            {
                var (code, stderr, stdout) = await StartFailureProcessTests.RunWithOutputAsync(
                    [],
                    ("ConnectionStrings__Ledger", database),
                    ("ASPNETCORE_ENVIRONMENT", "Development"),
                    ("Ledger__ApplicationRole", NoSuchRole)
                );

                ShouldStopNamingTheRole(code, stderr, stdout);
            }
        );

    /// <summary>The default role missing (a fresh machine run as the superuser) is a warning; another role missing is
    /// a mistake in the setting.</summary>
    [Fact]
    public void a_missing_application_role_stops_unless_it_is_the_default()
    {
        var missingDefault = ApplicationRoleCheck.Missing(LedgerStore.DefaultApplicationRole);
        missingDefault.Stops.ShouldBeFalse();
        missingDefault.Message.ShouldStartWith(
            "Ledger:ApplicationRole 'salex_app' (the default) is not a role of this PostgreSQL server: its grants"
        );
        var missingOther = ApplicationRoleCheck.Missing("salex_ap");
        missingOther.Stops.ShouldBeTrue();
        missingOther.Message.ShouldStartWith(
            "Ledger:ApplicationRole 'salex_ap' is not a role of this PostgreSQL server"
        );
    }

    [Fact]
    public async Task the_check_finds_the_role_db_start_creates_and_not_another()
    {
        (
            await ApplicationRoleCheck.CheckAsync(TestDatabases.Connection, LedgerStore.DefaultApplicationRole, default)
        ).ShouldBeNull();
        (await ApplicationRoleCheck.CheckAsync(TestDatabases.Connection, NoSuchRole, default)).ShouldBe(
            ApplicationRoleCheck.Missing(NoSuchRole)
        );
    }

    [Theory]
    [InlineData("db-apply", true)]
    [InlineData("DB-APPLY", true)]
    [InlineData("resources setup", true)]
    [InlineData("resources list", false)]
    [InlineData("db-patch patch.sql", true)]
    [InlineData("verify-ledger", false)]
    [InlineData("--urls http://127.0.0.1:0", false)]
    public void the_commands_that_apply_the_schema_are_checked(string command, bool checkedFirst) =>
        ApplicationRoleCheck.AppliesSchema(command.Split(' ')).ShouldBe(checkedFirst);

    private static void ShouldStopNamingTheRole(int code, string stderr, string stdout)
    {
        code.ShouldBe(StartFailure.SettingNotValid, stderr + stdout);
        stderr
            .Trim()
            .ShouldStartWith(
                $"The ledger did not start: Ledger:ApplicationRole '{NoSuchRole}' is not a role of this PostgreSQL server"
            );
    }
}
