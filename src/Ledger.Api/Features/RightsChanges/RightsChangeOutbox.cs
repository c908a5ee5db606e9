using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Rights;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Publishes the changes of standing that events make. Called by the handlers that commit their own session (payment
/// batches, bank-file batches, suspense assignment, enrolment) before they commit: the bus of a Wolverine handler is
/// enlisted in the Marten session's outbox, so the messages are stored in the same transaction as the events and sent
/// only once it commits. A command retried after a lost race publishes nothing from its failed attempt.
/// </summary>
public static class RightsChangeOutbox
{
    public static async ValueTask PublishAsync(
        IMessageBus bus,
        Account? before,
        Account after,
        LocalDate today,
        Regime regime,
        string cause,
        Instant now
    )
    {
        foreach (var change in Ledger.Rights.RightsChanges.Between(before, after, today, regime, cause))
            await bus.PublishAsync(RightsChanged.Of(change, now));
    }

    /// <summary>The same, as cascading messages of an aggregate handler (Wolverine stores them in the outbox of the
    /// session it commits).</summary>
    public static OutgoingMessages Messages(
        Account? before,
        Account after,
        LocalDate today,
        Regime regime,
        string cause,
        Instant now
    )
    {
        var messages = new OutgoingMessages();
        foreach (var change in Ledger.Rights.RightsChanges.Between(before, after, today, regime, cause))
            messages.Add(RightsChanged.Of(change, now));
        return messages;
    }
}
