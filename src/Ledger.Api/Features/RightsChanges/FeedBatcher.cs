using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.Runtime.Batching;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Gathers the waiting changes into one batch in their order of arrival. Wolverine's default batcher groups a batch by
/// the envelopes' tenant, and the changes come stamped differently by their paths (the group commit's, an HTTP
/// endpoint's, the sweep's): its groups put one person's payment after the sweep that followed it. The ledger has one
/// tenant, and the feed's order is the point.
/// </summary>
public sealed class FeedBatcher : IMessageBatcher
{
    public Type BatchMessageType => typeof(RightsChanged[]);

    public IEnumerable<Envelope> Group(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0)
            yield break;
        yield return new Envelope(envelopes.Select(e => (RightsChanged)e.Message!).ToArray(), envelopes);
    }
}
