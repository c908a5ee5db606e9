using Alba;
using Salex.Ledger.Api.Features.Auditing;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class AuditApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task history_lists_every_event_in_order_with_version_sequence_type_data_and_who_recorded_it()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m, "H-1");                 // 2018-02 and 4.08 of credit

        var history = await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history", Keys.Auditor);

        history.TotalEvents.ShouldBe(3);
        history.Events.Select(e => e.Type).ShouldBe(["enrolled", "contribution_paid", "credit_recorded"]);
        history.Events.Select(e => e.Version).ShouldBe([1L, 2L, 3L]);
        history.Events.Select(e => e.Sequence).ShouldBeInOrder();
        history.Events[0].Metadata.RecordedBy.ShouldBe("dev-enrolment (enrolment)");
        history.Events[1].Metadata.RecordedBy.ShouldBe("dev-finance (finance)");
        history.Events[1].Metadata.CorrelationId.ShouldNotBeNullOrEmpty();
        history.Events[1].Data.GetProperty("source").GetProperty("reference").GetString().ShouldBe("H-1");
        history.Events[2].Data.GetProperty("amount").GetDecimal().ShouldBe(4.08m);
    }

    [Fact]
    public async Task history_is_paged()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        for (var i = 0; i < 4; i++) await Host.PayAsync(number, "2018-02-01", 55.92m);
        var page = await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history?page=2&pageSize=2", Keys.Auditor);
        page.TotalEvents.ShouldBe(5);
        page.Events.Select(e => e.Version).ShouldBe([3L, 4L]);
    }

    [Fact]
    public async Task the_state_as_known_at_an_instant_or_a_version_ignores_later_events()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Task.Delay(50);
        await Host.PayAsync(number, "2018-03-05", 58.72m);
        var history = await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history", Keys.Auditor);
        var enrolledAt = history.Events[0].RecordedAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz");

        var then = await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?asOf={Uri.EscapeDataString(enrolledAt)}&on=2018-03-10", Keys.Auditor);
        then.Account.PaidThrough.ShouldBeNull();
        then.Rights.Status.ShouldBe("Arrears");

        var now = await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?on=2018-03-10", Keys.Auditor);
        now.Account.PaidThrough.ShouldBe("2018-02");
        now.Rights.Status.ShouldBe("Active");

        var version1 = await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?version=1&on=2018-03-10", Keys.Auditor);
        version1.Account.PaidThrough.ShouldBeNull();

        // Rights "on 2018-03-10 as known when only the enrolment was recorded" versus as known now.
        var rightsThen = await Host.GetJsonAsync<Features.CheckingRights.RightsAnswer>(
            $"/api/rights/{number}?on=2018-03-10&asOf={Uri.EscapeDataString(enrolledAt)}", Keys.Auditor);
        rightsThen.Status.ShouldBe("Arrears");
    }

    [Fact]
    public async Task a_bad_instant_is_a_400_naming_as_of_and_only_auditors_and_admins_read_history()
    {
        var number = await Host.EnrolAsync();
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/insured/{number}/state?asOf=yesterday");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors!.ShouldContainKey("asOf");
        await Host.Scenario(s =>
        {
            s.Get.Url($"/api/insured/{number}/history");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(403);
        });
    }
}
