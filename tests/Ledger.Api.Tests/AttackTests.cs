using System.Net;
using Alba;
using Marten;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Api.Features.Banks;
using Salex.Ledger.Api.Features.Rates;
using Salex.Ledger.Banks;
using Salex.Ledger.Contributions;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// An outsider's attack on the policy streams (rates, partner banks) and the money routes: many callers at once,
/// codes that are also BICs, and the money checked afterwards.
/// </summary>
public sealed class AttackTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const int Callers = 16;

    private Task<HttpStatusCode> PostAsync(string url, object body, string key) => Task.Run(async () =>
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("X-Api-Key", key);
            s.IgnoreStatusCode();
        });
        return (HttpStatusCode)result.Context.Response.StatusCode;
    });

    private async Task<IReadOnlyList<object>> PolicyEventsAsync(string streamId)
    {
        await using var session = Fixture.Store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(streamId)).Select(e => e.Data)];
    }

    [Fact]
    public async Task many_administrators_adding_a_row_for_one_period_at_once_add_it_once()
    {
        // Each round adds a row a month after the last one; every caller of a round offers the same period.
        for (var month = 1; month <= 10; month++)
        {
            var period = new NodaTime.YearMonth(2027, month);
            var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => PostAsync("/api/rates",
                new { firstPeriod = $"2027-{month:00}", minimumWage = 400m + i }, i % 2 == 0 ? Keys.PolicyAdmin : Keys.Admin)));

            answers.ShouldAllBe(a => a == HttpStatusCode.Created || a == HttpStatusCode.Conflict);
            (await PolicyEventsAsync(RateScheduleCache.StreamId)).OfType<RateAdded>().Count(r => r.FirstPeriod == period)
                .ShouldBe(1, $"round {month}");
            answers.Count(a => a == HttpStatusCode.Created).ShouldBe(1, $"round {month}");
        }
    }

    [Fact]
    public async Task many_clerks_registering_one_bank_at_once_register_it_once()
    {
        for (var round = 1; round <= 10; round++)
        {
            var code = $"BANK-{round}";
            var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
                PostAsync("/api/banks", new { code, name = $"Bank {i}" }, i % 2 == 0 ? Keys.Finance : Keys.Admin)));

            answers.ShouldAllBe(a => a == HttpStatusCode.Created || a == HttpStatusCode.Conflict);
            (await PolicyEventsAsync(PartnerBankRegistry.StreamId)).OfType<PartnerBankRegistered>().Count(b => b.Code == code)
                .ShouldBe(1, $"round {round}");
            answers.Count(a => a == HttpStatusCode.Created).ShouldBe(1, $"round {round}");
        }
    }

    [Fact]
    public async Task many_approvals_of_one_proposal_at_once_approve_it_once()
    {
        (await PostAsync("/api/rates", new { firstPeriod = "2027-06", minimumWage = 400m }, Keys.PolicyAdmin)).ShouldBe(HttpStatusCode.Created);
        var proposed = await Host.Scenario(s =>
        {
            s.Post.Json(new { kind = "Withdraw", firstPeriod = "2027-06", reason = "typing mistake" }).ToUrl("/api/rates/proposals");
            s.WithRequestHeader("X-Api-Key", Keys.PolicyAdmin);
            s.StatusCodeShouldBe(201);
        });
        var id = (await proposed.ReadAsJsonAsync<RateProposalView>())!.Id;

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => PostAsync($"/api/rates/proposals/{id}/approve", new { }, Keys.Admin)));

        answers.Count(a => a == HttpStatusCode.OK).ShouldBe(1);
        answers.ShouldAllBe(a => a == HttpStatusCode.OK || a == HttpStatusCode.Conflict);
        (await PolicyEventsAsync(RateScheduleCache.StreamId)).OfType<RateChangeApproved>().Count().ShouldBe(1);
    }
}
