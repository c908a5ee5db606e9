using Xunit.Abstractions;
using Alba;
using NodaTime;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Features.Webhooks;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>Registering subscribers, and what happens to deliveries a subscriber never takes.</summary>
public sealed class WebhookApiTests(LedgerHost fixture, ITestOutputHelper output) : LedgerTest(fixture)
{
    private async Task<IScenarioResult> RegisterAsync(object body, int status, string key = Keys.Admin) =>
        await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/webhooks");
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(status);
        });

    private async Task<IScenarioResult> RegisterRawAsync(string json, int status) =>
        await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl("/api/webhooks");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(status);
        });

    public static TheoryData<string, string> BadRegistrations =>
        new()
        {
            { """{"url":"ftp://example.org/hook","secret":"0123456789abcdef"}""", "url" },
            { """{"url":"/hooks/salex","secret":"0123456789abcdef"}""", "url" },
            { """{"url":"https://user:pw@example.org/hook","secret":"0123456789abcdef"}""", "url" },
            { """{"url":"https://example.org/ho\u0000ok","secret":"0123456789abcdef"}""", "url" },
            { """{"url":"https://example.org/hook#x","secret":"0123456789abcdef"}""", "url" },
            { """{"url":"javascript:alert(1)","secret":"0123456789abcdef"}""", "url" },
            { "{\"url\":\"https://example.org/" + new string('a', 3000) + "\",\"secret\":\"0123456789abcdef\"}", "url" },
            { """{"url":5,"secret":"0123456789abcdef"}""", "url" },
            { """{"secret":"0123456789abcdef"}""", "url" },
            { """{"url":"https://example.org/hook","secret":"short"}""", "secret" },
            { """{"url":"https://example.org/hook","secret":"0123456789abcdef\u0000"}""", "secret" },
            { """{"url":"https://example.org/hook","secret":["0123456789abcdef"]}""", "secret" },
            { """{"url":"https://example.org/hook"}""", "secret" },
            { """{"url":"https://example.org/hook","secret":"0123456789abcdef","causes":["Payment","Bribe"]}""", "causes" },
            { """{"url":"https://example.org/hook","secret":"0123456789abcdef","causes":"Payment"}""", "causes" },
            { """{"url":"https://example.org/hook","secret":"0123456789abcdef","causes":[null]}""", "causes" },
        };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task a_bad_registration_is_a_problem_naming_the_field_and_records_nothing(string json, string field)
    {
        var result = await RegisterRawAsync(json, 400);

        (await result.ProblemAsync()).Errors!.ShouldContainKey(field);
        (await Host.GetJsonAsync<List<WebhookView>>("/api/webhooks")).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_huge_body_is_refused_naming_its_field_and_records_nothing()
    {
        // Kestrel answers 413 past 64 KiB before the route runs; the test server has no such limit, so the route's own
        // limit on the URL answers.
        var json = $$"""{"url":"https://example.org/{{new string('a', 70_000)}}","secret":"0123456789abcdef"}""";

        var result = await RegisterRawAsync(json, 400);

        (await result.ProblemAsync()).Errors!.ShouldContainKey("url");
        (await Host.GetJsonAsync<List<WebhookView>>("/api/webhooks")).ShouldBeEmpty();
    }

    [Fact]
    public async Task only_admin_registers_and_the_secret_is_never_answered()
    {
        var body = new { url = "https://example.org/hook", secret = "0123456789abcdef-secret" };
        await RegisterAsync(body, 403, Keys.Finance);
        await RegisterAsync(body, 403, Keys.RightsReader);

        var result = await RegisterAsync(body, 201);

        var text = await result.ReadAsTextAsync();
        text.ShouldNotContain("0123456789abcdef-secret");
        var listed = await Host.Scenario(s =>
        {
            s.Get.Url("/api/webhooks");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
        });
        (await listed.ReadAsTextAsync()).ShouldNotContain("0123456789abcdef-secret");
        var view = (await result.ReadAsJsonAsync<WebhookView>())!;
        view.Url.ShouldBe("https://example.org/hook");
        view.Causes.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_delivery_failing_past_the_give_up_time_is_dead_lettered_visible_to_admin_and_replayed()
    {
        await using var receiver = new WebhookReceiver(); // down: nothing listens on its port yet
        var registered = await RegisterAsync(new { url = receiver.Url, secret = WebhookReceiver.Secret }, 201);
        var subscription = (await registered.ReadAsJsonAsync<WebhookView>())!;
        Today(2018, 3, 5);
        var number = await Host.EnrolAsync("2018-01-10");
        var change = (await Host.ChangesOfAsync(1, number)).Single();

        // Three days and more later (Webhooks:GiveUpAfter), the next attempt gives up.
        Fixture.Clock.Advance(Duration.FromDays(3) + Duration.FromMinutes(1));
        var letter = await DeadLetterAsync(change.Id);
        letter.SubscriptionId.ShouldBe(subscription.Id);
        letter.ExceptionType!.ShouldContain(nameof(WebhookGaveUp));
        letter.Reason!.ShouldNotContain(WebhookReceiver.Secret);
        foreach (var key in new[] { Keys.Finance, Keys.Auditor, Keys.RightsReader })
            await Host.Scenario(s =>
            {
                s.Get.Url("/api/webhooks/dead-letters");
                s.WithRequestHeader("X-Api-Key", key);
                s.StatusCodeShouldBe(403);
            });

        // The subscriber is back: a replay delivers it, once, and the dead letter is gone.
        await receiver.StartAsync();
        var replay = await Host.Scenario(s =>
        {
            s.Post.Json(new { ids = new[] { letter.Id } }).ToUrl("/api/webhooks/dead-letters/replay");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(200);
        });
        (await replay.ReadAsJsonAsync<ReplayReport>())!.Replayed.ShouldBe(1);
        await receiver.WaitForAsync([change.Id.ToString()]);
        var delivery = receiver.Deliveries.ShouldHaveSingleItem();
        delivery.SignatureValid.ShouldBeTrue();
        delivery.BodyId.ShouldBe(change.Id.ToString());
        (await Host.GetJsonAsync<List<WebhookDeadLetter>>("/api/webhooks/dead-letters")).ShouldNotContain(
            l => l.Id == letter.Id
        );
    }

    [Fact]
    public async Task a_subscriber_that_is_up_gets_each_change_it_wants_once_and_no_other()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        await RegisterAsync(new { url = receiver.Url, secret = WebhookReceiver.Secret, causes = new[] { "Payment" } }, 201);
        Today(2018, 3, 5);
        var number = await Host.EnrolAsync("2018-01-10"); // NotCovered → Arrears: an Enrolment, not wanted
        var paid = System.Diagnostics.Stopwatch.StartNew();
        await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345");
        var changes = await Host.ChangesOfAsync(2, number);
        var payment = changes.Single(c => c.Cause == "Payment");

        await receiver.WaitForAsync([payment.Id.ToString()]);
        // Measured, not asserted: from the payment's answer to the subscriber's receipt.
        output.WriteLine($"payment answered → delivered: {paid.ElapsedMilliseconds} ms (includes the feed poll)");
        await Task.Delay(500);
        var delivery = receiver.Deliveries.ShouldHaveSingleItem();
        delivery.SignatureValid.ShouldBeTrue();
        delivery.Body.ShouldContain("\"cause\":\"Payment\"");
    }

    /// <summary>An empty list of ids names no dead letter: nothing is replayed (a request without ids replays them
    /// all, as the README says; a client whose selection is empty must not send every subscriber its changes again).</summary>
    [Fact]
    public async Task a_replay_naming_an_empty_list_of_ids_replays_nothing()
    {
        await using var receiver = new WebhookReceiver(); // down: nothing listens on its port
        await RegisterAsync(new { url = receiver.Url, secret = WebhookReceiver.Secret }, 201);
        Today(2018, 3, 5);
        var number = await Host.EnrolAsync("2018-01-10");
        var change = (await Host.ChangesOfAsync(1, number)).Single();
        Fixture.Clock.Advance(Duration.FromDays(3) + Duration.FromMinutes(1));
        var letter = await DeadLetterAsync(change.Id);

        var replay = await Host.Scenario(s =>
        {
            s.Post.Json(new { ids = Array.Empty<Guid>() }).ToUrl("/api/webhooks/dead-letters/replay");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(200);
        });

        (await replay.ReadAsJsonAsync<ReplayReport>())!.Replayed.ShouldBe(0);
        (await Host.GetJsonAsync<List<WebhookDeadLetter>>("/api/webhooks/dead-letters")).ShouldContain(l => l.Id == letter.Id);
    }

    /// <summary>The subscriber's status is its answer: a body it holds open (or a huge one) is not read, so the
    /// delivery neither runs into its time limit and is sent again, nor fills the ledger's memory.</summary>
    [Fact]
    public async Task a_subscriber_that_answers_200_but_holds_its_body_open_gets_the_change_once()
    {
        await using var receiver = new WebhookReceiver { HoldsBodyOpen = true };
        await receiver.StartAsync();
        await RegisterAsync(new { url = receiver.Url, secret = WebhookReceiver.Secret, causes = new[] { "Payment" } }, 201);
        Today(2018, 3, 5);
        var number = await Host.EnrolAsync("2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345");
        var payment = (await Host.ChangesOfAsync(2, number)).Single(c => c.Cause == "Payment");

        await receiver.WaitForAsync([payment.Id.ToString()]);
        // Past one attempt's time limit (Webhooks:Timeout, 10 s) and the first retries after it.
        await Task.Delay(TimeSpan.FromSeconds(13));
        receiver.Deliveries.ShouldHaveSingleItem().MessageId.ShouldBe(payment.Id.ToString());
    }

    private async Task<WebhookDeadLetter> DeadLetterAsync(Guid changeId)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var letters = await Host.GetJsonAsync<List<WebhookDeadLetter>>("/api/webhooks/dead-letters");
            if (letters.FirstOrDefault(l => l.ChangeId == changeId) is { } letter)
                return letter;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"No dead letter for {changeId}; {letters.Count} others.");
            await Task.Delay(200);
        }
    }
}
