using System.Net;
using Alba;
using Marten;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.BankFiles;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Money held in suspense is spent once, however many finance clerks press the button at the same time:
/// exactly one action on an item wins, the others are answered 409, and the ledger's money still adds up.
/// </summary>
public sealed class SuspenseRaceTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const int Items = 6;
    private const int Callers = 10;

    private async Task<(string FileId, string[] Accounts)> SuspenseItemsAsync()
    {
        var accounts = new string[Callers];
        for (var i = 0; i < Callers; i++) accounts[i] = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var file = await Host.ImportCsvAsync(Csv([.. Enumerable.Range(1, Items)
            .Select(i => $"AGRICOLA,RACE-{i},2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE")]));
        file.Outcomes["UnknownPayer"].ShouldBe(Items);
        return (file.FileId, accounts);
    }

    private Task<HttpStatusCode> ActAsync(string itemId, string action, object body) => Task.Run(async () =>
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl($"/api/suspense/{itemId}/{action}");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.IgnoreStatusCode();
        });
        return (HttpStatusCode)result.Context.Response.StatusCode;
    });

    private async Task ShouldBeSettledOnceAsync(string fileId)
    {
        await using var session = Fixture.Store.QuerySession();
        var settlements = (await session.Events.FetchStreamAsync(fileId))
            .Select(e => e.Data switch { SuspenseAssigned a => a.SuspenseId, SuspenseRefunded r => r.SuspenseId, _ => null })
            .OfType<string>().ToList();
        settlements.Count.ShouldBe(Items);
        settlements.Distinct().Count().ShouldBe(Items);
        var conservation = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);
        conservation.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task ten_clerks_assigning_one_item_to_ten_accounts_at_once_assign_it_once()
    {
        var (fileId, accounts) = await SuspenseItemsAsync();

        var answers = await Task.WhenAll(Enumerable.Range(1, Items).SelectMany(item => accounts.Select(account =>
            ActAsync($"{fileId}-{item + 1}", "assign", new { affiliationNumber = account }))));

        answers.Count(a => a == HttpStatusCode.OK).ShouldBe(Items);
        answers.Count(a => a == HttpStatusCode.Conflict).ShouldBe(Items * (Callers - 1));
        await ShouldBeSettledOnceAsync(fileId);
        // Each item's 58.72 paid one period (55.92 + 2.80) on exactly one account.
        var summaries = await Task.WhenAll(accounts.Select(a => Host.SummaryAsync(a)));
        summaries.Count(s => s.PaidThrough is not null).ShouldBeLessThanOrEqualTo(Items);
    }

    [Fact]
    public async Task assigns_and_refunds_racing_on_one_item_settle_it_once()
    {
        var (fileId, accounts) = await SuspenseItemsAsync();

        var answers = await Task.WhenAll(Enumerable.Range(1, Items).SelectMany(item => accounts.Select((account, i) =>
            i % 2 == 0
                ? ActAsync($"{fileId}-{item + 1}", "assign", new { affiliationNumber = account })
                : ActAsync($"{fileId}-{item + 1}", "refund", new { reason = $"clerk {i}" }))));

        answers.Count(a => a == HttpStatusCode.OK).ShouldBe(Items);
        answers.Count(a => a == HttpStatusCode.Conflict).ShouldBe(Items * (Callers - 1));
        await ShouldBeSettledOnceAsync(fileId);
    }

    [Fact]
    public async Task the_conservation_check_finds_a_planted_double_spend()
    {
        var (fileId, accounts) = await SuspenseItemsAsync();
        await ActAsync($"{fileId}-2", "assign", new { affiliationNumber = accounts[0] });
        (await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None)).Problems.ShouldBeEmpty();

        // The same item settled a second time, written behind the ledger's back as the old race did.
        await using (var session = Fixture.Store.LightweightSession())
        {
            session.Events.Append(fileId, new SuspenseRefunded($"{fileId}-2", 58.72m, "planted"));
            await session.SaveChangesAsync();
        }

        var problems = (await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None)).Problems;
        problems.ShouldContain(p => p.Contains($"{fileId}-2") && p.Contains("settled 2 times"));
    }
}
