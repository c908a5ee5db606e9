using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The payments' group commit: payments arriving together share transactions, yet each is decided on its own
/// account in order, answered on its own (a refusal or an unknown account fails no other), and its events carry
/// its own caller's stamps.
/// </summary>
public sealed class GroupCommitTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task concurrent_payments_share_transactions_and_each_is_answered_and_stamped_as_its_own()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 6; i++) accounts.Add(await Host.EnrolAsync(enrolledOn: "2018-01-10"));
        var beyondLimit = await Host.EnrolAsync(enrolledOn: "2018-01-10");

        var requests = new List<(string Number, object Body, int Status, string Correlation)>();
        foreach (var (number, a) in accounts.Select((n, a) => (n, a)))
            for (var p = 1; p <= 5; p++)
                requests.Add((number, Scenarios.PaymentBody("2018-02-01", 55.92m, $"GC-{a}-{p}"), 201, $"corr-{a}-{p}"));
        for (var u = 0; u < 3; u++)
            requests.Add(($"9{u}000000", Scenarios.PaymentBody("2018-02-01", 55.92m, $"GC-UNKNOWN-{u}"), 404, $"corr-u{u}"));
        // Twenty periods on one payment date: past the 12-month advance limit, refused whole.
        requests.Add((beyondLimit, Scenarios.PaymentBody("2018-02-01", 20 * 55.92m, "GC-LIMIT"), 422, "corr-limit"));

        await Task.WhenAll(requests.Select(r => Task.Run(() => Host.Scenario(s =>
        {
            s.Post.Json(r.Body).ToUrl($"/api/insured/{r.Number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.WithRequestHeader("X-Correlation-Id", r.Correlation);
            s.StatusCodeShouldBe(r.Status);
        }))));

        foreach (var number in accounts) (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-06");
        (await Host.SummaryAsync(beyondLimit)).PaidThrough.ShouldBeNull();

        await using var session = Fixture.Store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            "select data->'source'->>'reference' || '|' || correlation_id || '|' || user_name || '|' || xmin::text " +
            "from salex.mt_events where type in ('contribution_paid', 'advance_paid')", CancellationToken.None);
        rows.Count.ShouldBe(30);
        foreach (var row in rows.Select(r => r.Split('|')))
        {
            var (a, p) = (row[0].Split('-')[1], row[0].Split('-')[2]);
            row[1].ShouldBe($"corr-{a}-{p}", $"the event of {row[0]} carries its own request's correlation id");
            row[2].ShouldBe("dev-finance (finance)");
        }
        rows.Select(r => r.Split('|')[3]).Distinct().Count().ShouldBeLessThan(30, "payments arriving together commit together");
    }

    [Fact]
    public async Task a_batch_with_the_same_reference_twice_records_it_once_and_answers_the_second_from_its_receipt()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var writer = Host.Services.GetRequiredService<PaymentWriter>();
        var payment = new RecordPayment(new NodaTime.LocalDate(2018, 2, 1), 55.92m, "AGRICOLA", "GC-TWICE", Channel.Online);
        var stamps = new Stamps("test", "finance", "corr-twice");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            writer.RecordAsync(new RecordAccountPayment(number, payment), stamps, CancellationToken.None)));

        outcomes.Count(o => o.Created).ShouldBe(1);
        outcomes.ShouldAllBe(o => o.Refusals.Count == 0 && o.Response!.Allocations.Single().Period == "2018-02");
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
        (await Host.EventCountAsync()).ShouldBe(2);   // the enrolment and the one payment
    }
    [Fact]
    public async Task callers_paying_one_account_at_once_through_every_writer_pay_each_period_once_and_in_order()
    {
        // Batches of several writers racing on the one stream: a loser is decided again on the winner's account (a
        // fresh session each attempt, so the account fetched for writing is never a stale one).
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var writer = Host.Services.GetRequiredService<PaymentWriter>();
        // A few milliseconds apart, so that idle writers take them while another writer's commit is in flight.
        var outcomes = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Task.Run(async () =>
        {
            await Task.Delay(2 * i);
            return await writer.RecordAsync(
                new RecordAccountPayment(number,
                    new RecordPayment(new NodaTime.LocalDate(2018, 2, 1), 55.92m, "AGRICOLA", $"GC-ONE-{i}", Channel.Online)),
                new Stamps("test", "finance", $"corr-one-{i}"), CancellationToken.None);
        })));

        outcomes.ShouldAllBe(o => o.Created);
        outcomes.SelectMany(o => o.Response!.Allocations.Select(a => a.Period)).Order()
            .ShouldBe(Enumerable.Range(2, 10).Select(m => $"2018-{m:00}"));
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-11");
        (await Host.EventCountAsync()).ShouldBe(11);
        var money = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);
        money.Problems.ShouldBeEmpty();
        money.Received.ShouldBe(10 * 55.92m);
        (await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }
}
