using JasperFx.Events;
using Marten.Services.BatchQuerying;
using Salex.Ledger.Accounts;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The accounts of a batch fetched for writing in one batch query: each append is then checked against the version
/// read, and the inline projection starts from the account read instead of loading it again (the store's
/// <c>UseIdentityMapForAggregates</c>). Used by the payments' and the bank files' batches.
/// </summary>
public static class AccountsForWriting
{
    /// <summary>Enlists one fetch per distinct account in <paramref name="query"/>; the function it returns gives
    /// the streams once the query has executed.</summary>
    public static Func<Task<Dictionary<string, IEventStream<Account>>>> Enlist(
        IBatchedQuery query,
        IEnumerable<string> affiliationNumbers
    )
    {
        var fetches = affiliationNumbers.Distinct().ToDictionary(n => n, n => query.Events.FetchForWriting<Account>(n));
        return async () =>
        {
            var streams = new Dictionary<string, IEventStream<Account>>(fetches.Count);
            foreach (var (number, fetch) in fetches)
                streams[number] = await fetch;
            return streams;
        };
    }
}
