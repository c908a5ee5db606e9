using Microsoft.Extensions.DependencyInjection;
using Alba;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Features.Webhooks;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>Changes of standing in the feed: one per change, whatever made it, and the feed's own contract.</summary>
public sealed class RightsChangeApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private async Task SweepAsync() =>
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/rights-sweep");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(200);
        });

    [Fact]
    public async Task a_payment_that_restores_rights_produces_exactly_one_change()
    {
        // SPEC §6: enrolled 2018-01-10, 2018-02 unpaid on 2018-03-05 (arrears), 58.72 paid that day.
        Today(2018, 3, 5);
        var number = await Host.EnrolAsync("2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345");
        await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345", expectedStatus: 200); // the same payment again

        var changes = await Host.ChangesOfAsync(2, number);

        changes.Select(c => (c.From, c.To, c.Cause)).ShouldBe([
            ("NotCovered", "Arrears", "Enrolment"),
            ("Arrears", "Active", "Payment"),
        ]);
        var payment = changes[1];
        payment.EffectiveOn.ShouldBe("2018-03-05");
        payment.BeneficiaryId.ShouldBeNull();
        (await Host.RightsAsync(number, "2018-03-05")).Status.ShouldBe(payment.To);
    }

    [Fact]
    public async Task a_due_date_passing_unpaid_and_then_the_lapse_each_produce_exactly_one_change()
    {
        Today(2018, 2, 28);
        var number = await Host.EnrolAsync("2018-01-10");
        await SweepAsync();

        // 2018-02 was due on 2018-02-28: arrears from 2018-03-01; the day swept twice is one change.
        Today(2018, 3, 1);
        await SweepAsync();
        await SweepAsync();
        var arrears = await Host.ChangesOfAsync(2, number);

        // 2018-02, 03 and 04 unpaid: lapsed on 2018-05-01 (the sweep covers every day missed since), then the lapse
        // sweep records the Lapsed event, which changes nothing more.
        Today(2018, 5, 2);
        await SweepAsync();
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/lapse-sweep");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(200);
        });
        var changes = await Host.ChangesOfAsync(3, number);

        arrears.Select(c => (c.From, c.To, c.Cause, c.EffectiveOn)).ShouldBe([
            ("NotCovered", "Active", "Enrolment", "2018-02-28"),
            ("Active", "Arrears", "DueDatePassed", "2018-03-01"),
        ]);
        changes.Select(c => (c.From, c.To, c.Cause, c.EffectiveOn)).ShouldBe([
            ("NotCovered", "Active", "Enrolment", "2018-02-28"),
            ("Active", "Arrears", "DueDatePassed", "2018-03-01"),
            ("Arrears", "Lapsed", "Lapse", "2018-05-01"),
        ]);
        changes.Select(c => c.Id).Distinct().Count().ShouldBe(3);
        changes.Select(c => c.Cursor).ShouldBeInOrder();
    }

    [Fact]
    public async Task many_changes_at_once_some_published_twice_are_each_numbered_once_without_gaps()
    {
        // What a large bank file does: thousands of changes reach the feed together and are recorded in batches.
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
        var changes = Enumerable
            .Range(0, 1200)
            .Select(i => new Salex.Projections.RightsChanges.RightsChanged(Guid.NewGuid(), $"9{i:D8}", null, null,
                "Arrears", "Active", "2018-03-05", "BankFile", "2018-03-05T12:00:00Z"))
            .ToList();
        var before = (await Host.AllAsync()).Count;
        // In messages of 1 to 40 changes, as the writers' transactions make them; the first 300 changes are published
        // twice, the second copies concurrently with the first ones, and the rest twice as well, later.
        var messages = Messages(changes, sizes: [1, 40, 7, 13, 1, 25]);
        var first300 = Messages(changes.Take(300).ToList(), sizes: [300]);
        await Task.WhenAll(messages.Concat(first300).Select(m => bus.PublishAsync(m).AsTask()));
        await Task.WhenAll(Messages(changes.Skip(300).ToList(), sizes: [9]).Select(m => bus.PublishAsync(m).AsTask()));

        var numbers = changes.Select(c => c.AffiliationNumber).ToArray();
        var recorded = await Host.ChangesOfAsync(changes.Count, numbers);

        recorded.Count.ShouldBe(changes.Count);
        recorded.Select(c => c.Id).ShouldBe(changes.Select(c => c.Id), ignoreOrder: true);
        var all = await Host.AllAsync();
        all.Select(c => c.Cursor).ShouldBe(Enumerable.Range(0, all.Count).Select(n => all[0].Cursor + n));
        all.Count.ShouldBe(before + changes.Count);
    }

    [Fact]
    public async Task changes_published_one_after_another_are_numbered_in_that_order_across_batches()
    {
        // More than two batches' worth, of a few persons in turn: each person's changes must keep their order in the
        // feed (a person's "Arrears -> Active" never before their "NotCovered -> Arrears"), within a batch and from
        // one batch to the next.
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
        var changes = Enumerable
            .Range(0, 2 * WebhookPolicies.FeedBatchSize + 137)
            .Select(i => new Salex.Projections.RightsChanges.RightsChanged(Guid.NewGuid(), $"8{i % 7:D8}", null, null,
                i % 2 == 0 ? "Arrears" : "Active", i % 2 == 0 ? "Active" : "Arrears", "2018-03-05", "BankFile",
                "2018-03-05T12:00:00Z"))
            .ToList();
        // Messages of every size, from one change to more than a batch's worth (a bank file's batch of lines).
        foreach (var message in Messages(changes, sizes: [1, 3, 17, 250, 600, 2]))
            await bus.PublishAsync(message);

        var recorded = await Host.ChangesOfAsync(changes.Count, [.. changes.Select(c => c.AffiliationNumber).Distinct()]);

        recorded.Select(c => c.Id).ShouldBe(changes.Select(c => c.Id));
        recorded.Select(c => c.Cursor).ShouldBeInOrder();
    }

    /// <summary>The changes in messages of the given sizes, in turn, in order.</summary>
    private static List<Salex.Projections.RightsChanges.RightsChangesMade> Messages(
        IReadOnlyList<Salex.Projections.RightsChanges.RightsChanged> changes, int[] sizes)
    {
        var messages = new List<Salex.Projections.RightsChanges.RightsChangesMade>();
        for (int at = 0, i = 0; at < changes.Count; at += sizes[i++ % sizes.Length])
            messages.Add(new([.. changes.Skip(at).Take(sizes[i % sizes.Length])]));
        return messages;
    }

    [Fact]
    public async Task single_changes_stored_before_the_message_held_many_are_still_recorded_once()
    {
        // A node upgraded with single RightsChanged messages still in its durable queue; one of them published twice.
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
        var changes = Enumerable
            .Range(0, 5)
            .Select(i => new Salex.Projections.RightsChanges.RightsChanged(Guid.NewGuid(), $"7{i:D8}", null, null,
                "NotCovered", "Arrears", "2018-03-05", "Enrolment", "2018-03-05T12:00:00Z"))
            .ToList();
        foreach (var change in changes.Append(changes[2]))
            await bus.PublishAsync(change);

        var recorded = await Host.ChangesOfAsync(changes.Count, [.. changes.Select(c => c.AffiliationNumber)]);

        recorded.Select(c => c.Id).ShouldBe(changes.Select(c => c.Id), ignoreOrder: true);
    }

    [Fact]
    public async Task concurrent_payments_on_one_account_produce_no_duplicate_change()
    {
        Today(2018, 3, 5);
        var number = await Host.EnrolAsync("2018-01-10");
        // Ten callers at once: the first restores rights, the others pay periods ahead.
        await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Host.PayAsync(number, "2018-03-05", 58.72m, $"RACE-{i:00}"))
        );

        var changes = await Host.ChangesOfAsync(2, number);

        changes.Count(c => c.Cause == "Payment").ShouldBe(1);
        changes.Single(c => c.Cause == "Payment").To.ShouldBe("Active");
        changes.Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_beneficiary_added_a_withdrawal_and_a_child_turning_twelve_are_changes_of_each_person()
    {
        Today(2024, 2, 10);
        var number = await Host.EnrolAsync("2023-12-10", beneficiaries: [
            new { fullName = "Luis López", birthDate = "2012-02-29", relationship = "Child" },
        ]);
        await Host.PayAsync(number, "2024-02-10", 3 * 68.04m);
        // The child was born on 2012-02-29: covered through 2024-02-28.
        Today(2024, 2, 29);
        await SweepAsync();
        Today(2024, 3, 5);
        await Host.Scenario(s =>
        {
            s.Post.Json(new { effectiveOn = "2024-03-05" }).ToUrl($"/api/insured/{number}/withdraw");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(200);
        });

        var changes = await Host.ChangesOfAsync(6, number);

        changes.Select(c => (c.BeneficiaryName, c.From, c.To, c.Cause)).ShouldBe([
            (null, "NotCovered", "Arrears", "Enrolment"),
            ("Luis López", "NotCovered", "Arrears", "Enrolment"),
            (null, "Arrears", "Active", "Payment"),
            ("Luis López", "Arrears", "Active", "Payment"),
            ("Luis López", "Active", "NotCovered", "ChildAgeLimit"),
            (null, "Active", "Lapsed", "Withdrawal"),
        ]);
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=abc", "after")]
    [InlineData("after=99999999999999999999", "after")]
    [InlineData("after=%2B5", "after")]
    [InlineData("after=%00", "after")]
    [InlineData("after=%205", "after")]
    [InlineData("after=5%20", "after")]
    [InlineData("limit=%2B5", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=%00", "limit")]
    public async Task a_bad_cursor_or_limit_is_a_problem_naming_it(string query, string field)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/rights-changes?{query}");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync()).Errors.ShouldContainKey(field);
    }

    [Fact]
    public async Task the_feed_pages_in_order_from_any_cursor()
    {
        Today(2018, 3, 5);
        var numbers = new List<string>();
        for (var i = 0; i < 5; i++)
            numbers.Add(await Host.EnrolAsync("2018-01-10"));
        var all = await Host.ChangesOfAsync(5, [.. numbers]);
        var from = all[1].Cursor;

        var page = await Host.GetJsonAsync<RightsChangePage>($"/api/rights-changes?after={from}&limit=2", Keys.Auditor);

        page.Changes.Select(c => c.Id).ShouldBe(all.Skip(2).Take(2).Select(c => c.Id));
        page.Next.ShouldBe(all[3].Cursor);
        var end = await Host.GetJsonAsync<RightsChangePage>($"/api/rights-changes?after={long.MaxValue}", Keys.Finance);
        end.Changes.ShouldBeEmpty();
        end.Next.ShouldBe(long.MaxValue);
    }
}
