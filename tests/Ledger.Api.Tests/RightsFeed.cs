using Alba;
using Salex.Ledger.Api.Features.RightsChanges;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>Reading the rights-changes feed in tests.</summary>
public static class RightsFeed
{
    public static async Task<IReadOnlyList<RightsChangeItem>> AllAsync(this IAlbaHost host)
    {
        var all = new List<RightsChangeItem>();
        long after = 0;
        while (true)
        {
            var page = await host.GetJsonAsync<RightsChangePage>(
                $"/api/rights-changes?after={after}&limit=1000",
                Keys.RightsReader
            );
            all.AddRange(page.Changes);
            if (page.Changes.Count == 0)
                return all;
            page.Next.ShouldBe(page.Changes[^1].Cursor);
            after = page.Next;
        }
    }

    /// <summary>
    /// The changes of some accounts once the feed holds at least <paramref name="count"/> of them, and then once it
    /// has stayed the same for a moment, so that a duplicate that would come late is seen. Generous bound, never an
    /// assertion on the time.
    /// </summary>
    public static async Task<IReadOnlyList<RightsChangeItem>> ChangesOfAsync(
        this IAlbaHost host,
        int count,
        params string[] accounts
    )
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<RightsChangeItem> Of(IEnumerable<RightsChangeItem> all) =>
            [.. all.Where(c => accounts.Contains(c.AffiliationNumber))];
        var changes = Of(await host.AllAsync());
        while (changes.Count < count)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException(
                    $"{changes.Count} changes of {string.Join(", ", accounts)} in the feed, expected {count}: "
                        + string.Join("; ", changes.Select(c => $"{c.AffiliationNumber} {c.From}->{c.To} {c.Cause}"))
                );
            await Task.Delay(100);
            changes = Of(await host.AllAsync());
        }
        // Settle: the feed's queue is sequential; anything published with these changes would follow them shortly.
        await Task.Delay(500);
        return Of(await host.AllAsync());
    }
}
