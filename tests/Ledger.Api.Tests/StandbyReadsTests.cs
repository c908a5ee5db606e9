using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// <c>ConnectionStrings:LedgerReads</c>: the rights routes (REST by number and by DUI, the batch query, FHIR
/// eligibility, Patient and Coverage) read through it, everything else through <c>ConnectionStrings:Ledger</c>. Here
/// the reads' connection goes through a <see cref="CuttableProxy"/> to the same database: cut, the rights routes
/// answer 503 while the account summary and payments still work; restored, the rights see the payment made meanwhile.
/// </summary>
public sealed class StandbyReadsTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static StringContent Json(string json, string type = "application/json") => new(json, Encoding.UTF8, type);

    [Fact]
    public async Task rights_routes_read_through_the_reads_connection_and_nothing_else_does()
    {
        await TestDatabases.EnsureAsync("reads");
        var primary = TestDatabases.Of("reads");
        await using var proxy = new CuttableProxy("127.0.0.1", primary.Port);
        var reads = new NpgsqlConnectionStringBuilder(primary.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Timeout = 3,
            Pooling = false,
        };
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("environment", "Development");
            b.UseSetting("ConnectionStrings:Ledger", primary.ConnectionString);
            b.UseSetting("ConnectionStrings:LedgerReads", reads.ConnectionString);
        });
        var store = factory.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.ResetAllData();
        var rates = factory.Services.GetRequiredService<Salex.Ledger.Api.Features.Rates.RateScheduleCache>();
        await rates.EnsureSeededAsync(store, CancellationToken.None);
        await rates.ReloadAsync(store, CancellationToken.None);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Keys.Admin);

        var dui = Scenarios.NewDui();
        var enrolled = await client.PostAsync("/api/insured", JsonContent.Create(Scenarios.EnrolmentBody(dui: dui)));
        enrolled.StatusCode.ShouldBe(HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync());
        var account = (await enrolled.Content.ReadFromJsonAsync<Features.Enrolling.EnrolResponse>())!.AffiliationNumber;
        var eligibility = $$$"""
            {"resourceType":"CoverageEligibilityRequest","status":"active","purpose":["validation"],
             "patient":{"identifier":{"system":"https://fhir.isss.gob.sv/sid/salex-affiliation","value":"{{{account}}}"}},
             "servicedDate":"2018-03-10","created":"2018-03-10T09:00:00-06:00","insurer":{"display":"ISSS"}}
            """;
        Task<HttpResponseMessage>[] RightsReads() =>
            [
                client.GetAsync($"/api/rights/{account}?on=2018-03-10"),
                client.GetAsync($"/api/rights?dui={dui}&on=2018-03-10"),
                client.PostAsync("/api/rights/query", Json($$"""{"affiliationNumbers":["{{account}}"],"on":"2018-03-10"}""")),
                client.PostAsync("/fhir/r4/CoverageEligibilityRequest", Json(eligibility, "application/fhir+json")),
                client.GetAsync($"/fhir/r4/Patient/{account}"),
                client.GetAsync($"/fhir/r4/Coverage/{account}"),
            ];
        foreach (var answer in await Task.WhenAll(RightsReads()))
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var before = await client.GetStringAsync($"/api/rights/{account}?on=2018-03-10");

        // The reads' server is gone: the rights routes cannot answer; the rest of the ledger goes on.
        proxy.Cut();
        foreach (var answer in await Task.WhenAll(RightsReads()))
            ((int)answer.StatusCode).ShouldBe(503, await answer.Content.ReadAsStringAsync());
        var paid = await client.PostAsync(
            $"/api/insured/{account}/payments",
            Json("""{"paidOn":"2018-03-05","amount":58.72,"bankCode":"AGRICOLA","reference":"READS-1","channel":"ONLINE"}""")
        );
        paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync());
        (await client.GetAsync($"/api/insured/{account}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Back: the rights read the payment recorded while they were away.
        proxy.Restore();
        var rights = await client.GetAsync($"/api/rights/{account}?on=2018-03-10");
        var text = await rights.Content.ReadAsStringAsync();
        rights.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotBe(before);
    }

    /// <summary>The rights routes' direct read of the live account (<see cref="Infrastructure.StandbyReads.LiveAccountAsync"/>)
    /// gives what Marten's <c>LoadAsync</c> gives, field for field, and nothing for an unknown or odd key.</summary>
    [Fact]
    public async Task the_direct_read_of_a_live_account_equals_martens_load()
    {
        var (paid, plain) = await PaidAndPlainAsync();
        using var reads = ReadsOfTheRun();
        await using var session = Fixture.Store.QuerySession();
        var serializer = Fixture.Store.Options.Serializer();
        foreach (var number in new[] { paid, plain })
        {
            var direct = await reads.LiveAccountAsync(number, CancellationToken.None);
            var loaded = await session.LoadAsync<Salex.Ledger.Accounts.Account>(number);
            direct.ShouldNotBeNull();
            serializer.ToJson(direct).ShouldBe(serializer.ToJson(loaded));
        }
        (await reads.LiveAccountAsync(paid, CancellationToken.None))!.Paid.Count.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var unknown in OddKeys)
            (await reads.LiveAccountAsync(unknown, CancellationToken.None)).ShouldBeNull(unknown);
    }

    /// <summary>Keys that name no account: unknown, empty, a NUL, lone surrogates, an emoji, huge, a bidi override,
    /// a trailing space, SQL.</summary>
    private static readonly string[] OddKeys =
    [
        "999999999", "", "1000\u000000017", "1000\ud80000017", "\udc00", "a\ud83d\ude00b", "😀", new string('7', 3000),
        "‮100000017", "100000017 ", "' or 1=1 --",
    ];

    /// <summary>An account with two payments and one without any.</summary>
    private async Task<(string Paid, string Plain)> PaidAndPlainAsync()
    {
        var paid = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(paid, "2018-02-05", 117.44m);
        await Host.PayAsync(paid, "2018-05-20", 58.72m);
        return (paid, await Host.EnrolAsync(enrolledOn: "2019-06-01"));
    }

    /// <summary>The reads' pool on the run's database, as the API builds it without ConnectionStrings:LedgerReads.</summary>
    private Infrastructure.StandbyReads ReadsOfTheRun() =>
        new(Fixture.Store, null, Environment.GetEnvironmentVariable("ConnectionStrings__Ledger")!);

    /// <summary>The batch query's read (<see cref="Infrastructure.StandbyReads.LiveAccountsAsync"/>) and the read by DUI
    /// (<see cref="Infrastructure.StandbyReads.LiveAccountByDuiAsync"/>) give what Marten's loads give: every account
    /// asked that exists, once, and nothing for unknown or odd keys.</summary>
    [Fact]
    public async Task the_batch_and_dui_reads_equal_martens_loads()
    {
        var (paid, plain) = await PaidAndPlainAsync();
        using var reads = ReadsOfTheRun();
        await using var session = Fixture.Store.QuerySession();
        var serializer = Fixture.Store.Options.Serializer();
        var odd = OddKeys;

        var asked = new[] { paid, plain, paid }.Concat(odd).ToArray();
        var direct = await reads.LiveAccountsAsync(asked, CancellationToken.None);
        var loaded = await session.LoadManyAsync<Salex.Ledger.Accounts.Account>(paid, plain);
        direct.Select(a => a.Id).Order().ShouldBe(new[] { paid, plain }.Order());
        direct.OrderBy(a => a.Id).Select(a => serializer.ToJson(a))
            .ShouldBe(loaded.OrderBy(a => a.Id).Select(a => serializer.ToJson(a)));
        (await reads.LiveAccountsAsync(odd, CancellationToken.None)).ShouldBeEmpty();
        (await reads.LiveAccountsAsync([], CancellationToken.None)).ShouldBeEmpty();

        foreach (var number in new[] { paid, plain })
        {
            var account = (await session.LoadAsync<Salex.Ledger.Accounts.Account>(number))!;
            var byDui = await reads.LiveAccountByDuiAsync(account.Dui, CancellationToken.None);
            byDui.ShouldNotBeNull();
            serializer.ToJson(byDui).ShouldBe(serializer.ToJson(account));
        }
        foreach (var unknown in odd.Append("00000000-0").Append(paid))
            (await reads.LiveAccountByDuiAsync(unknown, CancellationToken.None)).ShouldBeNull(unknown);
    }

    /// <summary>A reads' database the ledger is misconfigured for: without the ledger's tables (a standby the schema has
    /// not reached), missing, or read by a role without rights on the ledger's schema. The rights routes answer 503 with
    /// problem details, as for a database away, not 500 (a second engineer found the 500s).</summary>
    [Fact]
    public async Task a_misconfigured_reads_database_is_503_not_500() =>
        await TestDatabases.WithFreshAsync(
            "reads_empty",
            async empty =>
            {
                await AnswersOfTheRightsRoutesAre503Async(empty);
                // The reads' database is not the ledger's to migrate, Development or not: the rights as known at a
                // past moment (a query session there) created Marten's tables in it (a second engineer's attack).
                await using (var check = new NpgsqlConnection(empty))
                {
                    await check.OpenAsync();
                    await using var tables = new NpgsqlCommand(
                        "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
                        check
                    );
                    ((long)(await tables.ExecuteScalarAsync())!).ShouldBe(0);
                }
                await AnswersOfTheRightsRoutesAre503Async(
                    new NpgsqlConnectionStringBuilder(empty) { Database = TestDatabases.Name("reads_never_created") }.ConnectionString
                );
                var role = $"reads_without_rights_{Guid.NewGuid():N}"[..40];
                await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Ledger"));
                await admin.OpenAsync();
                await using (var create = new NpgsqlCommand($"create role {role} login", admin))
                    await create.ExecuteNonQueryAsync();
                try
                {
                    await AnswersOfTheRightsRoutesAre503Async(
                        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Ledger")!)
                        {
                            Username = role,
                        }.ConnectionString
                    );
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var drop = new NpgsqlCommand($"drop role {role}", admin);
                    await drop.ExecuteNonQueryAsync();
                }
            }
        );

    private static async Task AnswersOfTheRightsRoutesAre503Async(string reads)
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("environment", "Development");
            b.UseSetting("ConnectionStrings:Ledger", Environment.GetEnvironmentVariable("ConnectionStrings__Ledger"));
            b.UseSetting("ConnectionStrings:LedgerReads", reads);
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Keys.Admin);
        var answers = await Task.WhenAll(
            client.GetAsync("/api/rights/100000017?on=2018-03-10"),
            client.GetAsync("/api/rights/100000017?on=2018-03-10&asOf=2018-03-10T12:00:00Z"),
            client.GetAsync("/api/rights?dui=00000000-0"),
            client.PostAsync("/api/rights/query", Json("""{"affiliationNumbers":["100000017"],"on":"2018-03-10"}""")),
            client.GetAsync("/fhir/r4/Patient/100000017")
        );
        foreach (var answer in answers)
        {
            var text = await answer.Content.ReadAsStringAsync();
            ((int)answer.StatusCode).ShouldBe(503, $"{reads}: {text}");
            answer.Headers.RetryAfter.ShouldNotBeNull();
            text.ShouldNotContain("42P01");
        }
    }

    /// <summary>The server drops the reads' pooled connections (a restart, a failover, an idle timeout): the next
    /// direct reads still answer, as they did through Marten's retry before (a second engineer's attack: 4 of 24
    /// rights requests answered 503 without it). 24 reads at once against a pool of dropped connections: a retry on
    /// the pool itself, even three tries, failed about one run in twenty on a busy machine; the retry on a new
    /// connection may not.</summary>
    [Fact]
    public async Task the_direct_read_survives_its_pooled_connections_being_dropped()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var connection = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Ledger")!)
        {
            ApplicationName = "reads-dropped-test",
        }.ConnectionString;
        using var reads = new Infrastructure.StandbyReads(Fixture.Store, null, connection);
        var dui = (await Fixture.Store.QuerySession().LoadAsync<Salex.Ledger.Accounts.Account>(number))!.Dui;
        // The three direct reads, by number, by DUI and in a batch, each retried alike.
        Task<Salex.Ledger.Accounts.Account?[]> ReadInParallel() =>
            Task.WhenAll(
                Enumerable.Range(0, 24).Select(i => Task.Run(async () => (i % 3) switch
                {
                    0 => await reads.LiveAccountAsync(number, CancellationToken.None),
                    1 => await reads.LiveAccountByDuiAsync(dui, CancellationToken.None),
                    _ => (await reads.LiveAccountsAsync([number], CancellationToken.None)).SingleOrDefault(),
                }))
            );
        await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Ledger"));
        await admin.OpenAsync();
        for (var round = 0; round < 3; round++)
        {
            // The first pass finds the connections dropped in the round before (tried again on new ones); the second
            // leaves live connections in the pool for this round to drop.
            (await ReadInParallel()).ShouldAllBe(a => a != null && a.Id == number);
            (await ReadInParallel()).ShouldAllBe(a => a != null && a.Id == number);
            await using var drop = new NpgsqlCommand(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = 'reads-dropped-test'",
                admin
            );
            ((long)(await drop.ExecuteScalarAsync())!).ShouldBeGreaterThan(0);
            await Task.Delay(100); // the backends are gone once their exit is processed
        }
        (await ReadInParallel()).ShouldAllBe(a => a != null && a.Id == number);
    }
}
