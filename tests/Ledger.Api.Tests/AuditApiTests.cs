using Alba;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Api.Features.CheckingRights;
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
    public async Task time_travel_across_a_payment_a_rate_change_and_a_lapse()
    {
        string At(HistoryEntry e) => Uri.EscapeDataString(e.RecordedAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz"));
        async Task<HistoryEntry> LastEventOf(string stream) =>
            (await Host.GetJsonAsync<HistoryPage>($"/api/insured/{stream}/history?pageSize=500", Keys.Auditor)).Events[^1];

        // Enrolled 2026-08-10 (first period 2026-09); on 2026-09-20, 4 × 68.04 pays 2026-09 and 2026-10..12 in advance.
        var number = await Host.EnrolAsync(enrolledOn: "2026-08-10");
        var enrolled = await LastEventOf(number);
        await Task.Delay(20);
        await Host.PayAsync(number, "2026-09-20", 4 * 68.04m);
        var paid = await LastEventOf(number);
        await Task.Delay(20);
        // From 2027-01 the minimum wage is 400.00: 74.56 a month.
        await Host.Scenario(s =>
        {
            s.Post.Json(new { firstPeriod = "2027-01", minimumWage = 400.00m }).ToUrl("/api/rates");
            s.WithRequestHeader("X-Api-Key", Keys.PolicyAdmin);
            s.StatusCodeShouldBe(201);
        });
        var rateAdded = await LastEventOf(Features.Rates.RateScheduleCache.StreamId);
        await Task.Delay(20);
        // Nothing paid after 2026-12: 2027-01, -02, -03 unpaid lapse the episode on 2027-04-01 (03 due Wed 03-31).
        Today(2027, 4, 2);
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/lapse-sweep");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(200);
        });
        var lapsed = await LastEventOf(number);
        lapsed.Type.ShouldBe("lapsed");

        // Across the payment: on 2026-10-15, 2026-09 (due 09-30) was overdue as known at enrolment; paid as known after.
        (await Host.GetJsonAsync<RightsAnswer>($"/api/rights/{number}?on=2026-10-15&asOf={At(enrolled)}", Keys.Auditor)).Status.ShouldBe("Arrears");
        (await Host.GetJsonAsync<RightsAnswer>($"/api/rights/{number}?on=2026-10-15&asOf={At(paid)}", Keys.Auditor)).Status.ShouldBe("Active");

        // Across the rate change: on 2027-02-15, 2027-01 (due Fri 01-29) is 17 days late, 10 %: priced at the schedule of the time.
        var before = await Host.GetJsonAsync<ArrearsStatement>($"/api/insured/{number}/arrears?on=2027-02-15&asOf={At(paid)}", Keys.Auditor);
        before.Periods.Select(p => (p.Period, p.Base, p.Surcharge, p.Total)).ShouldBe([("2027-01", 68.04m, 6.80m, 74.84m)]);
        var after = await Host.GetJsonAsync<ArrearsStatement>($"/api/insured/{number}/arrears?on=2027-02-15&asOf={At(rateAdded)}", Keys.Auditor);
        after.Periods.Select(p => (p.Period, p.Base, p.Surcharge, p.Total)).ShouldBe([("2027-01", 74.56m, 7.46m, 82.02m)]);
        (await Host.ArrearsAsync(number, "2027-02-15")).Total.ShouldBe(82.02m);

        // Across the lapse: the lapse on 2027-04-01 follows from the rules before the sweep records it; the record is the 4th event.
        var beforeSweep = await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?asOf={At(rateAdded)}&on=2027-04-01", Keys.Auditor);
        (beforeSweep.Version, beforeSweep.Rights.Status).ShouldBe((3L, "Lapsed"));
        var afterSweep = await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?asOf={At(lapsed)}&on=2027-04-01", Keys.Auditor);
        (afterSweep.Version, afterSweep.Rights.Status).ShouldBe((4L, "Lapsed"));
        (await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?asOf={At(lapsed)}&on=2027-03-31", Keys.Auditor)).Rights.Status.ShouldBe("Arrears");
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

    /// <summary>
    /// A version past the stream's last one was answered 200 with the asked number around the current account (an
    /// attacker's <c>version=99999999999</c> on a stream at 20): it is 404 naming <c>version</c> and saying how many
    /// versions there are; 0 and negative versions are 400; the version answered is the one the account was read at.
    /// </summary>
    [Fact]
    public async Task a_version_past_the_stream_is_a_404_naming_version_and_below_1_a_400()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m);                 // versions 2 and 3 (credit)

        var last = await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?version=3", Keys.Auditor);
        last.Version.ShouldBe(3);
        (await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state", Keys.Auditor)).Version.ShouldBe(3);
        (await Host.GetJsonAsync<AccountState>($"/api/insured/{number}/state?version=1", Keys.Auditor)).Version.ShouldBe(1);

        foreach (var (version, status) in new[] { ("4", 404), ("99999999999", 404), ("9223372036854775807", 404),
                     ("0", 400), ("-1", 400), ("-99999999999", 400), ("abc", 400), ("99999999999999999999", 400) })
        {
            var result = await Host.Scenario(s =>
            {
                s.Get.Url($"/api/insured/{number}/state?version={version}");
                s.WithRequestHeader("X-Api-Key", Keys.Auditor);
                s.StatusCodeShouldBe(status);
            });
            var problem = await result.ProblemAsync();
            string.Join(",", problem.Errors!.Keys).ShouldBe("version", $"version={version}");
            if (status == 404)
                problem.Errors["version"].Single().ShouldStartWith("The account's stream has only 3 versions");
        }

        // As known at the enrolment the stream had one version: version 2 did not exist yet.
        var enrolledAt = (await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history", Keys.Auditor))
            .Events[0].RecordedAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz");
        var then = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/insured/{number}/state?version=2&asOf={Uri.EscapeDataString(enrolledAt)}");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.StatusCodeShouldBe(404);
        });
        (await then.ProblemAsync()).Errors!["version"].Single().ShouldStartWith("The account's stream has only 1 version as known at");
    }

    /// <summary>
    /// A page size past the route's range was clamped (0 and -1 gave 1, 10,001 gave 500) while the bank file's
    /// route refused it: both are 400 naming <c>pageSize</c> and the range, and so is a size or page that is not a
    /// number (Wolverine's own refusal now names the field in <c>errors</c> too).
    /// </summary>
    [Fact]
    public async Task a_page_size_past_the_history_range_is_a_400_naming_page_size_and_the_range()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        (await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history?pageSize=500", Keys.Auditor)).PageSize.ShouldBe(500);
        (await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history?pageSize=1", Keys.Auditor)).PageSize.ShouldBe(1);
        (await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history", Keys.Auditor)).PageSize.ShouldBe(100);

        foreach (var (query, field) in new[] { ("pageSize=0", "pageSize"), ("pageSize=-1", "pageSize"), ("pageSize=501", "pageSize"),
                     ("pageSize=10001", "pageSize"), ("pageSize=2147483648", "pageSize"), ("pageSize=abc", "pageSize"),
                     ("page=0", "page"), ("page=1000001", "page"), ("page=abc", "page") })
        {
            var result = await Host.Scenario(s =>
            {
                s.Get.Url($"/api/insured/{number}/history?{query}");
                s.WithRequestHeader("X-Api-Key", Keys.Auditor);
                s.StatusCodeShouldBe(400);
            });
            var problem = await result.ProblemAsync();
            string.Join(",", problem.Errors!.Keys).ShouldBe(field, query);
            if (query is "pageSize=0" or "pageSize=10001")
                problem.Errors[field].Single().ShouldStartWith("A page has 1 to 500 events");
        }
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
