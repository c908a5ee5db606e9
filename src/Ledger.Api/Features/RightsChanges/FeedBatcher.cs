using Salex.Ledger.Api.Features.Webhooks;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.Runtime.Batching;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Gathers the waiting messages into batches in their order of arrival, each of about
/// <see cref="WebhookPolicies.FeedBatchSize"/> changes (a message is never split: a bank file's batch may bring
/// several hundred at once). Wolverine's default batcher groups a batch by the envelopes' tenant, and the messages come
/// stamped differently by their paths (the group commit's, an HTTP endpoint's, the sweep's): its groups put one
/// person's payment after the sweep that followed it. The ledger has one tenant, and the feed's order is the point.
/// </summary>
public sealed class FeedBatcher : IMessageBatcher
{
    public Type BatchMessageType => typeof(RightsChangesMade[]);

    public IEnumerable<Envelope> Group(IReadOnlyList<Envelope> envelopes)
    {
        var batch = new List<Envelope>();
        var changes = 0;
        foreach (var envelope in envelopes)
        {
            var made = (RightsChangesMade)envelope.Message!;
            if (batch.Count > 0 && changes + made.Changes.Length > WebhookPolicies.FeedBatchSize)
            {
                yield return Batch(batch);
                batch = [];
                changes = 0;
            }
            batch.Add(envelope);
            changes += made.Changes.Length;
        }
        if (batch.Count > 0)
            yield return Batch(batch);
    }

    private static Envelope Batch(List<Envelope> envelopes) =>
        new(envelopes.Select(e => (RightsChangesMade)e.Message!).ToArray(), envelopes);
}
