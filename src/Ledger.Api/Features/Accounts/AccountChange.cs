using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>
/// What a command on an account answers its endpoint: the refusals that stopped it (nothing recorded), or the account
/// as its events left it, with the day it was decided on. A handler returns it beside its <see cref="Events"/>, in a
/// tuple: Wolverine appends the events to the stream and hands this back to <c>InvokeAsync</c>, instead of appending
/// it as an event.
/// </summary>
public sealed record AccountChange(IReadOnlyList<Refusal> Refusals, Account? After, LocalDate Today)
{
    /// <summary>
    /// Decides a command on the account loaded for writing (null when no insured person has the number): the
    /// refusals, or the events to append, the account after them and the changes of standing they make
    /// (<see cref="RightsChanged"/>, <paramref name="cause"/>).
    /// </summary>
    public static (AccountChange, Events, OutgoingMessages) Decide(
        IAccountCommand command,
        Account? account,
        IClock clock,
        Regime regime,
        string cause,
        Func<Account, (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events)> decide
    )
    {
        var today = ElSalvador.Today(clock);
        if (account is null)
            return (
                new AccountChange([Problems.UnknownAccountRefusal(command.AffiliationNumber)], null, today),
                [],
                []
            );
        var (refusals, events) = decide(account);
        if (refusals.Count > 0)
            return (new AccountChange(refusals, null, today), [], []);
        // The fold of the pure domain, as the inline projection will store it (version included).
        var after = events.Aggregate(account, (a, e) => a.After(e)) with
        {
            Version = account.Version + events.Count,
        };
        // The changes of standing the events make, cascaded: Wolverine stores them in the outbox of the transaction
        // that appends the events.
        var changes = RightsChangeOutbox.Messages(account, after, today, regime, cause, clock.GetCurrentInstant());
        return (new AccountChange([], after, today), new Events(events), changes);
    }

    /// <summary>The endpoint's answer: problem details for the refusals, else <paramref name="ok"/> of the account.
    /// </summary>
    public IResult Answer(Func<Account, IResult> ok) => Refusals.Count > 0 ? Problems.From(Refusals) : ok(After!);
}
