using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Rights;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.RightsChanges;

/// <summary>
/// Publishes the changes of standing that events make. Called by the handlers that commit their own session (payment
/// batches, bank-file batches, suspense assignment, enrolment) before they commit: the bus of a Wolverine handler is
/// enlisted in the Marten session's outbox, so the message is stored in the same transaction as the events and sent
/// only once it commits. A command retried after a lost race publishes nothing from its failed attempt. All the changes
/// of one transaction travel in one <see cref="RightsChangesMade"/>, in order.
/// </summary>
public static class RightsChangeOutbox
{
    /// <summary>What the events between <paramref name="before"/> and <paramref name="after"/> changed, as
    /// messages.</summary>
    public static IReadOnlyList<RightsChanged> Of(
        Account? before,
        Account after,
        LocalDate today,
        Regime regime,
        string cause,
        Instant now
    ) =>
        [
            .. Ledger
                .Rights.RightsChanges.Between(before, after, today, regime, cause)
                .Select(c => RightsChanged.Of(c, now)),
        ];

    /// <summary>One message for the changes of a transaction, none when nothing changed.</summary>
    public static async ValueTask PublishAsync(IMessageBus bus, IReadOnlyCollection<RightsChanged> changes)
    {
        if (changes.Count > 0)
            await bus.PublishAsync(new RightsChangesMade([.. changes]));
    }

    public static ValueTask PublishAsync(
        IMessageBus bus,
        Account? before,
        Account after,
        LocalDate today,
        Regime regime,
        string cause,
        Instant now
    ) => PublishAsync(bus, Of(before, after, today, regime, cause, now));

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
        var changes = Of(before, after, today, regime, cause, now);
        if (changes.Count > 0)
            messages.Add(new RightsChangesMade([.. changes]));
        return messages;
    }
}
