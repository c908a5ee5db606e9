using Marten;
using Npgsql;
using NodaTime;
using Salex.Projections;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The role the service connects as in production (salex_app, created by db/start.sh) records the ledger but
/// cannot rewrite it: events and their hashes can be inserted, never updated, deleted or truncated.
/// </summary>
public sealed class ApplicationRoleTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static string AppConnection()
    {
        var connection = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("LEDGER_TEST_CONNECTION")
            ?? "Host=127.0.0.1;Port=55432;Database=salex_test;Username=postgres") { Username = LedgerStore.DefaultApplicationRole };
        return connection.ConnectionString;
    }

    [Fact]
    public async Task the_application_role_appends_events_and_projects_them()
    {
        await using var store = DocumentStore.For(o => LedgerStore.Configure(o, AppConnection(), createSchemaObjects: false));
        await using var session = store.LightweightSession();
        var enrolled = new Enrolled("100000017", "04567890-3", "Ana María López", new LocalDate(1985, 6, 2), "US", null,
            new LocalDate(2018, 1, 10), new YearMonth(2018, 2), [], new EligibilityChecks(true, true, true));
        session.Events.StartStream("100000017", enrolled);
        await session.SaveChangesAsync();

        (await session.LoadAsync<Salex.Ledger.Accounts.Account>("100000017")).ShouldNotBeNull();
        (await session.Events.FetchStreamAsync("100000017")).ShouldHaveSingleItem();
    }

    /// <summary>A rebuild empties the read models' tables (Marten's rebuild truncates them too): the schema owner's
    /// right. As the service's role it stops at its first statement and changes nothing.</summary>
    [Fact]
    public async Task the_application_role_cannot_rebuild_the_read_models_and_nothing_changes()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 55.92m, "APP-1");
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
        await using var store = DocumentStore.For(o => LedgerStore.Configure(o, AppConnection(), createSchemaObjects: false));

        var refused = await Should.ThrowAsync<PostgresException>(() =>
            Salex.Projections.Rebuild.ReadModels.RebuildAsync(store, TimeSpan.FromSeconds(30), CancellationToken.None));

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        await using var session = Fixture.Store.QuerySession();
        (await session.LoadAsync<Salex.Ledger.Accounts.Account>(number))!.Paid.ShouldHaveSingleItem();
        (await new Features.Auditing.ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("update salex.mt_events set data = data")]
    [InlineData("delete from salex.mt_events")]
    [InlineData("truncate salex.mt_events cascade")]
    [InlineData("update salex.event_hashes set hash = hash")]
    [InlineData("delete from salex.event_hashes")]
    [InlineData("delete from salex.mt_streams")]
    [InlineData("truncate salex.mt_streams cascade")]
    public async Task the_application_role_cannot_rewrite_history(string sql)
    {
        await Host.EnrolAsync();
        await using var connection = new NpgsqlConnection(AppConnection());
        await connection.OpenAsync();

        var refused = await Should.ThrowAsync<PostgresException>(() => new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync());

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await Host.EventCountAsync()).ShouldBe(1);
    }
}
