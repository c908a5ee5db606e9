using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Salex.Ledger.BankFiles;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The edge as a real server sees it: a second host on Kestrel (the test server enforces no body limit), whose
/// database is reached through a <see cref="CuttableProxy"/>, so the database can be "stopped" in the middle of a
/// request without stopping the cluster the other tests share. Body limits answer 413, a lost database 503 with
/// <c>Retry-After</c> on reads and writes alike, <c>/health</c> names no host, and all recovers when it is back.
/// </summary>
public sealed class EdgeServerTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const string EdgeDatabase = "edge";

    /// <summary>
    /// The edge host has a database of its own on the same cluster (created on first use, emptied at each start),
    /// so its schedules and projections never meet the main host's on the run's database.
    /// </summary>
    private static async Task<(WebApplicationFactory<Program> Factory, HttpClient Client, IDocumentStore Store)> StartAsync(CuttableProxy proxy)
    {
        await TestDatabases.EnsureAsync(EdgeDatabase);
        var proxied = new NpgsqlConnectionStringBuilder(TestDatabases.Of(EdgeDatabase).ConnectionString)
            { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 };
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("environment", "Development");
            b.UseSetting("ConnectionStrings:Ledger", proxied.ConnectionString);
            // Program's default address (5080) applies when no Urls setting is given; a port of the system's choosing
            // keeps two test runs, or a run beside ./run.sh, from colliding on it.
            b.UseSetting("urls", "http://127.0.0.1:0");
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var store = factory.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.ResetAllData();
        var rates = factory.Services.GetRequiredService<Salex.Ledger.Api.Features.Rates.RateScheduleCache>();
        await rates.EnsureSeededAsync(store, CancellationToken.None);
        await rates.ReloadAsync(store, CancellationToken.None);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Keys.Admin);
        return (factory, client, store);
    }

    private static StringContent JsonOf(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task ShouldBeUnavailableAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
        response.Headers.RetryAfter.ShouldNotBeNull(text).Delta.ShouldNotBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task bodies_past_their_limit_are_413_and_a_lost_database_is_503_with_retry_after_on_every_route()
    {
        await using var proxy = new CuttableProxy("127.0.0.1",
            new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Ledger")).Port);
        var (factory, client, store) = await StartAsync(proxy);
        await using var _ = factory;
        var enrolled = await client.PostAsync("/api/insured", JsonContent.Create(Scenarios.EnrolmentBody()));
        enrolled.StatusCode.ShouldBe(HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync());
        var account = (await enrolled.Content.ReadFromJsonAsync<Salex.Ledger.Api.Features.Enrolling.EnrolResponse>())!.AffiliationNumber;

        // 413: a JSON body past the JSON limit, with and without Content-Length; a bank file has a larger limit of its own.
        var huge = $$"""{"paidOn":"2018-03-05","amount":58.72,"bankCode":"AGRICOLA","reference":"{{new string('x', (int)Limits.JsonBodyBytes)}}"}""";
        var tooLarge = await client.PostAsync($"/api/insured/{account}/payments", JsonOf(huge));
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await tooLarge.Content.ReadAsStringAsync());
        (await tooLarge.Content.ReadAsStringAsync()).ShouldContain("\"body\"");
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        (await client.PostAsync($"/api/insured/{account}/payments", chunked)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        var lines = Enumerable.Range(1, 5_000).Select(i => $"AGRICOLA,EDGE-{i},2018-02-01T10:00:00-06:00,{account},1.00,ONLINE").ToArray();
        var file = Encoding.UTF8.GetBytes(BankFiles.Csv(lines));
        file.Length.ShouldBeGreaterThan((int)Limits.JsonBodyBytes);

        // The database goes away in the middle of the import: 503, and the file is completed by importing it again.
        var import = client.PostAsync("/api/bank-files", new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } });
        await CutWhenAsync(proxy, async () =>
        {
            await using var session = store.QuerySession();
            return (await session.Query<BankFileReconciliation>().FirstOrDefaultAsync())?.LastLine >= 500;
        });
        await ShouldBeUnavailableAsync(await import);

        // While it is away: reads, writes and the health check.
        await ShouldBeUnavailableAsync(await client.GetAsync($"/api/insured/{account}"));
        await ShouldBeUnavailableAsync(await client.GetAsync($"/api/rights/{account}?on=2018-03-10"));
        await ShouldBeUnavailableAsync(await client.PostAsync($"/api/insured/{account}/payments",
            JsonOf("""{"paidOn":"2018-03-05","amount":58.72,"bankCode":"AGRICOLA","reference":"DOWN-1","channel":"ONLINE"}""")));
        await ShouldBeUnavailableAsync(await client.PostAsync("/api/insured", JsonContent.Create(Scenarios.EnrolmentBody())));
        var health = await client.GetAsync("/health");
        health.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        health.Headers.RetryAfter.ShouldNotBeNull();
        var said = await health.Content.ReadAsStringAsync();
        said.ShouldContain("database unreachable");
        var database = TestDatabases.Name(EdgeDatabase);
        foreach (var leak in new[] { "127.0.0.1", proxy.Port.ToString(), "Npgsql", "connect", database, "postgres" })
            said.ShouldNotContain(leak, Case.Insensitive);

        // Back: the same file completes, every line once.
        proxy.Restore();
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await client.PostAsync("/api/bank-files", new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } });
        var summary = await again.Content.ReadAsStringAsync();
        again.StatusCode.ShouldBe(HttpStatusCode.OK, summary);
        summary.ShouldContain("\"status\":\"Completed\"");
        summary.ShouldContain("\"lines\":5000");
    }

    private static async Task CutWhenAsync(CuttableProxy proxy, Func<Task<bool>> ready)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await ready())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the import never got going");
            await Task.Delay(10);
        }
        proxy.Cut();
    }
}
