using Salex.Projections.Payments;
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
        (await paid.ReadAsJsonAsync<Salex.Projections.Payments.PaymentResponse>())!.BankCode.ShouldBe("BAC");

        var file = await Host.ImportCsvAsync(Csv($"BAC,T-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        file.Outcomes["Duplicate"].ShouldBe(1);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
        (await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None)).Problems.ShouldBeEmpty();
    }

    private async Task<IScenarioResult> SendAsync(string url, object body, string key, int status) => await Host.Scenario(s =>
    {
        s.Post.Json(body).ToUrl(url);
        s.WithRequestHeader("X-Api-Key", key);
        s.StatusCodeShouldBe(status);
    });

    private async Task<string> EnrolWithDuiAsync(string dui, string enrolledOn) =>
        (await (await SendAsync("/api/insured", Scenarios.EnrolmentBody(dui: dui, enrolledOn: enrolledOn), Keys.Enrolment, 201))
            .ReadAsJsonAsync<Features.Enrolling.EnrolResponse>())!.AffiliationNumber;

    [Fact]
    public async Task the_money_still_adds_up_after_withdrawal_return_lapse_annulment_re_enrolment_and_suspense_on_ended_episodes()
    {
        var duiA = Scenarios.NewDui();
        var a = await EnrolWithDuiAsync(duiA, "2026-06-10");          // first period 2026-07
        var b = await Host.EnrolAsync(enrolledOn: "2026-06-10");
        var c = await Host.EnrolAsync(enrolledOn: "2026-06-10");

        Today(2026, 7, 5);
        await Host.PayAsync(a, "2026-07-05", 6 * 68.04m + 1.00m);     // 2026-07..12 and 1.00 of credit
        await Host.PayAsync(b, "2026-07-05", 13 * 68.04m);            // 2026-07..2027-07, the advance limit

        Today(2026, 8, 10);
        await SendAsync($"/api/insured/{b}/return", new { returnedOn = "2026-08-10" }, Keys.Enrolment, 200); // 2027-03..07 refund due

        Today(2026, 9, 1);
        await SendAsync($"/api/insured/{a}/withdraw", new { effectiveOn = "2026-09-01" }, Keys.Enrolment, 200); // 2026-09..12 refund due

        // C pays nothing: 2026-07, -08 and -09 unpaid lapse it on 2026-10-01; the sweep records it.
        Today(2026, 10, 2);
        await SendAsync("/api/admin/lapse-sweep", new { }, Keys.Admin, 200);

        // A file after all that: money of C dated on its last due date (the lapse is annulled), money of A dated before its
        // withdrawal (nothing left to pay: a refund), money of B past its window, and two unknown payers.
        var file = await Host.ImportCsvAsync(Csv(
            $"AGRICOLA,L-1,2026-09-30T10:00:00-06:00,{c},220.00,ONLINE",
            $"AGRICOLA,L-2,2026-08-15T10:00:00-06:00,{a},68.04,ONLINE",
            $"AGRICOLA,L-3,2026-10-01T10:00:00-06:00,{b},68.04,BRANCH",
            "AGRICOLA,L-4,2026-08-20T10:00:00-06:00,999999999,100.00,ONLINE",
            "AGRICOLA,L-5,2026-10-01T10:00:00-06:00,999999999,30.00,ONLINE"));
        file.Balanced.ShouldBeTrue();
        file.Outcomes["UnknownPayer"].ShouldBe(2);
        await using (var session = Fixture.Store.QuerySession())
            (await session.Events.FetchStreamAsync(c)).Select(e => e.Data).OfType<LapseAnnulled>().Count().ShouldBe(1);

        // Suspense given to A while its episode has ended, the other paid back.
        await SendAsync($"/api/suspense/{file.FileId}-5/assign", new { affiliationNumber = a }, Keys.Finance, 200);
        await SendAsync($"/api/suspense/{file.FileId}-6/refund", new { reason = "not insured" }, Keys.Finance, 200);

        // A enrols again; its next payment spends the credit left from before the withdrawal.
        Today(2026, 11, 23);
        (await EnrolWithDuiAsync(duiA, "2026-11-20")).ShouldBe(a);
        var again = await Host.PayAsync(a, "2026-11-23", 67.04m);
        again.CreditApplied.ShouldBe(1.00m);

        var money = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);
        money.Problems.ShouldBeEmpty();
        money.Received.ShouldBe(6 * 68.04m + 1.00m + 13 * 68.04m + 220.00m + 68.04m + 68.04m + 100.00m + 30.00m + 67.04m);
        (money.RefundedSuspense, money.OpenSuspense).ShouldBe((30.00m, 0m));
        (await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("policy-rates")]
    [InlineData("ledger-digest")]
    [InlineData("file")]
    public async Task a_stream_that_is_not_an_account_cannot_be_paid_withdrawn_returned_or_given_suspense(string streamId)
    {
        Today(2018, 3, 10);
        var number = await Host.EnrolAsync();
        var file = await Host.ImportCsvAsync(Csv("AGRICOLA,S-1,2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE",
            $"AGRICOLA,S-2,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        await SendAsync("/api/admin/digest", new { }, Keys.Admin, 201);
        if (streamId == "file") streamId = file.FileId;
        var before = await Host.EventCountAsync(includingPolicy: true);

        await SendAsync($"/api/insured/{streamId}/payments", Scenarios.PaymentBody("2018-03-05", 58.72m, "S-3"), Keys.Finance, 404);
        await SendAsync($"/api/insured/{streamId}/withdraw", new { effectiveOn = "2018-03-10" }, Keys.Enrolment, 404);
        await SendAsync($"/api/insured/{streamId}/return", new { returnedOn = "2018-03-10" }, Keys.Enrolment, 404);
        await SendAsync($"/api/insured/{streamId}/beneficiaries",
            new { fullName = "Luis López", birthDate = "2010-03-15", relationship = "Child" }, Keys.Enrolment, 404);
        await SendAsync($"/api/suspense/{file.FileId}-2/assign", new { affiliationNumber = streamId }, Keys.Finance, 404);
        foreach (var url in new[] { $"/api/insured/{streamId}", $"/api/rights/{streamId}?on=2018-03-10", $"/api/insured/{streamId}/arrears?on=2018-03-10" })
            await Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.WithRequestHeader("X-Api-Key", Keys.Admin);
                s.StatusCodeShouldBe(404);
            });

        (await Host.EventCountAsync(includingPolicy: true)).ShouldBe(before);
    }

    [Theory]
    [InlineData("1", null)]                        // an enum's number is not its name
    [InlineData("Withdraw, Correct", null)]        // nor are flags (they read as Correct)
    [InlineData("Withdraw", 1e20)]                 // a withdrawal carries no minimum wage, let alone one past the limits
    public async Task a_proposal_whose_kind_is_not_a_name_or_whose_withdrawal_carries_a_wage_is_refused(string kind, double? wage)
    {
        await SendAsync("/api/rates", new { firstPeriod = "2027-06", minimumWage = 400m }, Keys.PolicyAdmin, 201);

        var refused = await SendAsync("/api/rates/proposals",
            new { kind, firstPeriod = "2027-06", minimumWage = (decimal?)wage, reason = "typing mistake" }, Keys.PolicyAdmin, 400);

        (await refused.ProblemAsync()).Errors!.Keys.ShouldBe([wage is null ? "kind" : "minimumWage"]);
        (await Host.GetJsonAsync<List<RateProposalView>>("/api/rates/proposals")).ShouldBeEmpty();
    }

    [Fact]
    public async Task hostile_requests_at_the_bank_proposal_and_digest_routes_never_answer_5xx_and_change_nothing()
    {
        string[] bodies =
        [
            "", "null", "[]", "{}", "\"x\"", "{\"code\":1}", "{\"code\":[\"BAC\"]}", "{\"code\":\"BAC\",\"name\":\"B\",\"bics\":\"BAMCSVSS\"}",
            "{\"code\":\"BAC\",\"name\":\"B\",\"bics\":[null,1]}", "{\"code\":\"B\\u0000C\",\"name\":\"x\"}",
            "{\"code\":\"BAC\",\"name\":\"\\u202Eevil\"}", "{\"code\":\"" + new string('A', 5000) + "\",\"name\":\"x\"}",
            "{\"kind\":\"Correct\",\"firstPeriod\":\"2022-01\",\"minimumWage\":1e400,\"reason\":\"x\"}",
            "{\"kind\":\"Correct\",\"firstPeriod\":\"2022-01\",\"minimumWage\":-0.001,\"reason\":\"x\"}",
            "{\"kind\":\"Withdraw\",\"firstPeriod\":\"0001-01\",\"reason\":\"x\"}",
            "{\"kind\":\"Withdraw\",\"firstPeriod\":\"2022-01\",\"reason\":\"" + new string('r', 600) + "\"}",
            "{\"kind\":null,\"firstPeriod\":null,\"reason\":null}", "{\"reason\":\"\\uD800\"}", "{\"reason\":{}}",
        ];
        string[] urls =
        [
            "/api/banks", "/api/rates/proposals", $"/api/rates/proposals/{Guid.NewGuid()}/approve", $"/api/rates/proposals/{Guid.NewGuid()}/reject",
            "/api/rates/proposals/not-a-guid/approve", "/api/rates/proposals/%E2%80%AE/reject", "/api/admin/digest",
        ];
        var before = await Host.EventCountAsync(includingPolicy: true);
        foreach (var url in urls)
            foreach (var body in bodies)
            {
                var result = await Host.Scenario(s =>
                {
                    s.Post.Text(body).ToUrl(url);
                    s.WithRequestHeader("Content-Type", "application/json");
                    s.WithRequestHeader("X-Api-Key", Keys.Admin);
                    s.IgnoreStatusCode();
                });
                result.Context.Response.StatusCode.ShouldBeLessThan(500, $"POST {url} {body[..Math.Min(body.Length, 80)]}");
            }
        foreach (var date in new[] { "99999-01-01", "2024-02-30", "0001-01-01", "-1", "%E2%80%AE", "2024-01-01T00:00:00Z", new string('9', 300) })
            foreach (var url in new[] { $"/api/digests/{date}/signed", $"/api/digests/{date}" })
            {
                var result = await Host.Scenario(s =>
                {
                    s.Get.Url(url);
                    s.WithRequestHeader("X-Api-Key", Keys.Auditor);
                    s.IgnoreStatusCode();
                });
                result.Context.Response.StatusCode.ShouldBeLessThan(500, $"GET {url}");
            }
        // Only the digests recorded by /api/admin/digest (one an accepted body) are new.
        await using var session = Fixture.Store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<long>(
            "select count(*) from salex.mt_events where stream_id not in ('ledger-digest', 'mt_tombstone')", CancellationToken.None);
        rows[0].ShouldBe(before);
    }
}
