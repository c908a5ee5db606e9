using JasperFx;
using Marten;
using Salex.Ledger.Accounts;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The write path of every command on an existing account: load the stream for writing, decide with a
/// pure function, append what it returns, commit. A concurrent write makes the loser decide again on
/// the new state, so a change is never lost and never applied on stale data.
/// </summary>
public static class AccountCommands
{
    public const int MaxAttempts = 10;

    public static async Task<IResult> DecideAsync(
        HttpContext context, IDocumentStore store, string affiliationNumber,
        Func<Account, (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events)> decide,
        Func<Account, IReadOnlyList<object>, IResult> answer, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            await using var session = store.OpenSession(context);
            var stream = await session.Events.FetchForWriting<Account>(affiliationNumber, ct);
            if (stream.Aggregate is null) return Problems.UnknownAccount(affiliationNumber);

            var (refusals, events) = decide(stream.Aggregate);
            if (refusals.Count > 0) return Problems.From(refusals);
            stream.AppendMany(events);
            try
            {
                await session.SaveChangesAsync(ct);
                return answer(events.Aggregate(stream.Aggregate, (account, e) => account.After(e)), events);
            }
            catch (Exception e) when (IsConcurrency(e))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
        return Problems.Conflict("affiliationNumber", "The account is being changed by other requests; retry.");
    }

    public static bool IsConcurrency(Exception e) =>
        e is ConcurrencyException || e.InnerException is ConcurrencyException;
}
