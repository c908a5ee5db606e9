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

    [Theory]
    [InlineData("BAMCSVSS", null)]           // the code of a new bank is another bank's BIC
    [InlineData("OTHER", "BAMCSVSS")]        // a BIC of another bank
    [InlineData("OTHER", "BACXSVSS")]        // a BIC that is another bank's code
    public async Task a_code_or_bic_that_already_names_a_bank_is_refused(string code, string? bic)
    {
        (await PostAsync("/api/banks", new { code = "BAC", name = "BAC Credomatic", bics = new[] { "BAMCSVSS" } }, Keys.Finance))
            .ShouldBe(HttpStatusCode.Created);
        (await PostAsync("/api/banks", new { code = "BACXSVSS", name = "Bank named like a BIC" }, Keys.Finance)).ShouldBe(HttpStatusCode.Created);

        var answer = await Host.Scenario(s =>
        {
            s.Post.Json(new { code, name = "Impostor", bics = bic is null ? Array.Empty<string>() : [bic] }).ToUrl("/api/banks");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(409);
        });
        (await answer.ProblemAsync()).Errors!.Keys.ShouldBe([bic is null ? "code" : "bics[0]"]);
        (await Host.GetJsonAsync<PartnerBanksView>("/api/banks")).Banks.Count.ShouldBe(7);
    }

    [Fact]
    public async Task a_payment_naming_its_bank_by_a_bic_is_recorded_under_the_bank_code_so_the_bank_file_line_is_a_duplicate()
    {
        (await PostAsync("/api/banks", new { code = "BAC", name = "BAC Credomatic", bics = new[] { "BAMCSVSS" } }, Keys.Finance))
            .ShouldBe(HttpStatusCode.Created);
        var number = await Host.EnrolAsync();

        var paid = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-03-05", 58.72m, "T-1", bankCode: " bamcsvss ")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(201);
        });
        (await paid.ReadAsJsonAsync<Features.Paying.PaymentResponse>())!.BankCode.ShouldBe("BAC");

        var file = await Host.ImportCsvAsync(Csv($"BAC,T-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        file.Outcomes["Duplicate"].ShouldBe(1);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
        (await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None)).Problems.ShouldBeEmpty();
    }
}
