using System.Net;
using System.Text.Json;
using Alba;
using Marten;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Api.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Commands on one account at once, through the aggregate handler workflow: each decision is taken on the state
/// its events are appended to (a loser of the version race decides again on the new state), so no accepted change
/// is lost and none was decided on stale state.
/// </summary>
public sealed class AccountCommandRaceTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Task<IScenarioResult> SendAsync(Action<Scenario> request) => Task.Run(() => Host.Scenario(s =>
    {
        request(s);
        s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
        s.IgnoreStatusCode();
    }));

    private static HttpStatusCode Status(IScenarioResult result) => (HttpStatusCode)result.Context.Response.StatusCode;

    [Fact]
    public async Task beneficiary_adds_and_a_withdrawal_racing_on_one_account_lose_nothing_and_see_the_state_they_change()
    {
        Today(2024, 5, 1);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-05", 8 * 68.04m);                     // 2024-01 .. 2024-08

        // Three spouses (the family group takes one at a time), six children, and the withdrawal from today, after
        // which the episode has ended and no beneficiary can be added on today's date.
        var adds = Enumerable.Range(1, 9).Select(i => SendAsync(s => s.Post.Json(i <= 3
                ? new { fullName = $"Cónyuge {i}", birthDate = "1987-01-20", relationship = "Spouse" }
                : new { fullName = $"Hijo {i}", birthDate = "2020-03-02", relationship = "Child" })
            .ToUrl($"/api/insured/{number}/beneficiaries"))).ToList();
        var withdrawal = SendAsync(s =>
            s.Post.Json(new { effectiveOn = "2024-05-01" }).ToUrl($"/api/insured/{number}/withdraw"));
        var answers = await Task.WhenAll(adds);
        var withdrawn = await withdrawal;

        Status(withdrawn).ShouldBe(HttpStatusCode.OK);
        answers.Select(Status).ShouldAllBe(s => s == HttpStatusCode.Created || s == HttpStatusCode.Conflict
            || s == HttpStatusCode.UnprocessableEntity);
        var accepted = new List<BeneficiaryView>();
        foreach (var answer in answers.Where(a => Status(a) == HttpStatusCode.Created))
            accepted.Add((await answer.ReadAsJsonAsync<BeneficiaryView>())!);
        accepted.Count(b => b.Relationship == "Spouse").ShouldBeLessThanOrEqualTo(1);   // never two spouses at once

        await using var query = Fixture.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(number);
        events.Select(e => e.Version).ShouldBe(Enumerable.Range(1, events.Count).Select(v => (long)v));
        var added = events.Select(e => e.Data).OfType<BeneficiaryAdded>().Select(a => a.Beneficiary.Id).ToList();
        added.ShouldBe(accepted.Select(b => b.Id), ignoreOrder: true);                  // every 201 recorded, once
        var lapsed = events.Single(e => e.Data is Lapsed);
        events.ShouldNotContain(e => e.Data is BeneficiaryAdded && e.Version > lapsed.Version);   // none after the end

        var summary = await Host.SummaryAsync(number);
        summary.Beneficiaries.Select(b => b.Id).ShouldBe(accepted.Select(b => b.Id), ignoreOrder: true);
        summary.Version.ShouldBe(events[^1].Version);
        (await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_command_records_who_sent_it_its_role_and_the_requests_correlation_id()
    {
        Today(2024, 5, 1);
        var number = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(number, "2024-01-05", 6 * 68.04m);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { fullName = "Luis", birthDate = "2020-03-02", relationship = "Child" })
                .ToUrl($"/api/insured/{number}/beneficiaries");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.WithRequestHeader("X-Correlation-Id", "corr-beneficiary-1");
            s.StatusCodeShouldBe(201);
        });

        var history = await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history", Keys.Auditor);
        var last = history.Events[^1];
        last.Type.ShouldBe("beneficiary_added");
        last.Metadata.RecordedBy.ShouldBe("dev-admin (admin)");
        last.Metadata.CorrelationId.ShouldBe("corr-beneficiary-1");
        last.Metadata.CausationId.ShouldBeNull();
        last.Metadata.Headers!["recordedBy"].ToString().ShouldBe("dev-admin");
        last.Metadata.Headers["role"].ToString().ShouldBe("admin");
        last.Metadata.Headers["channel"].ToString().ShouldBe("api");
    }

    [Fact]
    public async Task an_unknown_account_is_404_naming_it_and_records_nothing()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { effectiveOn = "2026-11-23" }).ToUrl("/api/insured/999999999/withdraw");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(404);
        });
        (await result.ProblemAsync()).Errors!.ShouldContainKey("affiliationNumber");
        await using var query = Fixture.Store.QuerySession();
        (await query.Events.FetchStreamStateAsync("999999999")).ShouldBeNull();
    }

    [Fact]
    public async Task a_command_that_loses_every_race_is_409_naming_the_account_not_500()
    {
        var context = new DefaultHttpContext { RequestServices = Host.Services };
        context.Response.Body = new MemoryStream();
        var lost = new InvalidOperationException("commit failed", new JasperFx.ConcurrencyException("version moved", null!));

        (await new Failures(NullLogger<Failures>.Instance).TryHandleAsync(context, lost, CancellationToken.None)).ShouldBeTrue();

        context.Response.StatusCode.ShouldBe(409);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        problem.RootElement.GetProperty("errors").TryGetProperty("affiliationNumber", out _).ShouldBeTrue();
    }
}
