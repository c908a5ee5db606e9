using Xunit.Abstractions;
using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Salex.Ledger.Api.Features.Webhooks;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A real subscriber that is down while the changes are produced, and a ledger restarted in between: every change is
/// delivered once it is back, each exactly once by its id, signed. These hosts use a database of their own
/// (<c>salex_test_webhooks</c> beside <c>salex_test</c>, made anew), so that the shared test host does not take their
/// durable messages.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class WebhookDeliveryTests(ITestOutputHelper output)
{
    private const string Database = "webhooks";

    private static string Connection() => TestDatabases.Of(Database).ConnectionString;

    private static Task RecreateDatabaseAsync() => TestDatabases.RecreateAsync(Database);

    private static async Task<IAlbaHost> StartLedgerAsync(FakeClock clock)
    {
        JasperFxEnvironment.AutoStartHost = true;
        return await AlbaHost.For<Program>(b =>
        {
            b.UseSetting("environment", "Development");
            b.UseSetting("ConnectionStrings:Ledger", Connection());
            b.UseSetting("Ledger:DigestArchive", Path.Combine(Path.GetTempPath(), $"salex-wh-{Guid.NewGuid():N}"));
            b.UseSetting("Webhooks:RetryDelays:0", "00:00:00.200");
            b.UseSetting("Webhooks:RetryDelays:1", "00:00:00.500");
            b.UseSetting("Webhooks:RetryDelays:2", "00:00:01");
            b.ConfigureServices(s => s.AddSingleton<IClock>(clock));
        });
    }

    private static async Task PostAsync(IAlbaHost host, string url, object body, string key, int status) =>
        await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(status);
        });

    private static Instant Noon(int y, int m, int d) => Instant.FromUtc(y, m, d, 18, 0);

    [Fact]
    public async Task a_subscriber_down_across_a_ledger_restart_receives_every_change_exactly_once_signed()
    {
        await RecreateDatabaseAsync();
        await using var receiver = new WebhookReceiver(); // down: connections to its port are refused
        var clock = new FakeClock(Noon(2018, 4, 30));
        List<string> ids;
        string a, b, c;
        await using (var ledger = await StartLedgerAsync(clock))
        {
            await PostAsync(ledger, "/api/webhooks", new { url = receiver.Url, secret = WebhookReceiver.Secret }, Keys.Admin, 201);
            b = await ledger.EnrolAsync("2018-03-10"); // first period 2018-04, due 2018-04-30: active today
            c = await ledger.EnrolAsync("2018-01-10"); // 2018-02 and 03 unpaid: in arrears today

            clock.Reset(Noon(2018, 5, 1));
            await PostAsync(ledger, "/api/admin/rights-sweep", new { }, Keys.Admin, 200); // b into arrears, c lapses
            await PostAsync(ledger, "/api/admin/lapse-sweep", new { }, Keys.Admin, 200); // records c's lapse: no change
            a = await ledger.EnrolAsync("2018-03-10"); // 2018-04 unpaid since today
            await ledger.PayAsync(a, "2018-05-01", 58.72m, "000912345"); // restores a's rights

            var changes = await ledger.ChangesOfAsync(6, a, b, c);
            changes.Select(x => (x.AffiliationNumber, x.From, x.To, x.Cause)).ShouldBe(
                [
                    (b, "NotCovered", "Active", "Enrolment"),
                    (c, "NotCovered", "Arrears", "Enrolment"),
                    (b, "Active", "Arrears", "DueDatePassed"),
                    (c, "Arrears", "Lapsed", "Lapse"),
                    (a, "NotCovered", "Arrears", "Enrolment"),
                    (a, "Arrears", "Active", "Payment"),
                ],
                ignoreOrder: true
            );
            ids = [.. changes.Select(x => x.Id.ToString())];
            receiver.Deliveries.ShouldBeEmpty();
        } // the ledger stops with every delivery pending or scheduled for a retry

        await using (var ledger = await StartLedgerAsync(clock))
        {
            var down = System.Diagnostics.Stopwatch.StartNew();
            await receiver.StartAsync();
            await receiver.WaitForAsync(ids);
            // Measured, not asserted: how long after the subscriber came back everything was in, and the attempts.
            output.WriteLine(
                $"subscriber up → {ids.Count} deliveries in {down.ElapsedMilliseconds} ms; attempts "
                    + string.Join(",", receiver.Deliveries.Select(d => d.Attempt))
            );
            await Task.Delay(1000); // a duplicate would come with the others

            receiver.Deliveries.Select(d => d.MessageId).Order().ShouldBe(ids.Order());
            receiver.Deliveries.ShouldAllBe(d => d.SignatureValid);
            receiver.Deliveries.ShouldAllBe(d => d.BodyId == d.MessageId);
            receiver.Deliveries.ShouldAllBe(d => d.Timestamp == clock.GetCurrentInstant().ToUnixTimeSeconds().ToString());
            (await ledger.GetJsonAsync<List<WebhookDeadLetter>>("/api/webhooks/dead-letters")).ShouldBeEmpty();
        }
    }
}
