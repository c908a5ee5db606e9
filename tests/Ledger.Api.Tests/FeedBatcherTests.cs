using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Features.Webhooks;
using Salex.Projections.RightsChanges;
using Shouldly;
using Wolverine;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The feed's batcher on its own: the group commit, the HTTP endpoints and the sweep stamp their envelopes
/// differently (tenant or none), and a person's changes come interleaved from those paths. The batches must keep
/// their order of arrival whatever the stamps; Wolverine's default batcher grouped by tenant and put a payment after
/// the sweep that followed it.
/// </summary>
public sealed class FeedBatcherTests
{
    private static RightsChanged Change(int i) =>
        new(Guid.NewGuid(), $"8{i % 3:D8}", null, null, "Arrears", "Active", "2018-03-05",
            i % 2 == 0 ? "Payment" : "Sweep", "2018-03-05T12:00:00Z");

    private static Envelope Made(int changes, string? tenant = null) =>
        new(new RightsChangesMade([.. Enumerable.Range(0, changes).Select(Change)])) { TenantId = tenant };

    private static IEnumerable<Guid> Ids(IEnumerable<Envelope> envelopes) =>
        envelopes.SelectMany(e => e.Message switch
        {
            RightsChangesMade made => made.Changes.Select(c => c.Id),
            RightsChangesMade[] batch => batch.SelectMany(m => m.Changes).Select(c => c.Id),
            _ => throw new InvalidOperationException($"Unexpected {e.Message}"),
        });

    [Fact]
    public void messages_stamped_by_different_paths_stay_in_one_batch_in_their_order_of_arrival()
    {
        // Tenants as the paths leave them: the default tenant's name, none, another stamp; interleaved.
        string?[] stamps = ["*DEFAULT*", null, "ledger", null, "*DEFAULT*"];
        var envelopes = Enumerable.Range(0, 20).Select(i => Made(1 + i % 4, stamps[i % stamps.Length])).ToList();

        var batches = new FeedBatcher().Group(envelopes).ToList();

        batches.Count.ShouldBe(1);
        batches[0].Message.ShouldBeOfType<RightsChangesMade[]>().Length.ShouldBe(20);
        Ids(batches).ShouldBe(Ids(envelopes));
    }

    [Fact]
    public void a_batch_holds_about_a_batch_size_of_changes_and_never_splits_a_message()
    {
        var size = WebhookPolicies.FeedBatchSize;
        // A bank file's batch bigger than a feed batch, small ones around it.
        List<Envelope> envelopes = [Made(size - 10), Made(10), Made(1), Made(size + 200), Made(3), Made(4)];

        var batches = new FeedBatcher().Group(envelopes).ToList();

        batches.Select(b => ((RightsChangesMade[])b.Message!).Select(m => m.Changes.Length).ToArray())
            .ShouldBe([[size - 10, 10], [1], [size + 200], [3, 4]]);
        Ids(batches).ShouldBe(Ids(envelopes));
    }

    [Fact]
    public void no_waiting_message_is_no_batch()
    {
        new FeedBatcher().Group([]).ShouldBeEmpty();
    }
}
