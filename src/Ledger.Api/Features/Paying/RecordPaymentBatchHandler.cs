using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Salex.Projections.Payments;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// Records a batch of payments in one transaction: the accounts and receipts of the whole batch are read in one
/// round trip, each payment is decided in order on the state the previous ones left (two payments of one account
/// in a batch are applied one after the other, a reference sent twice finds the first's receipt), and the events
/// of each account are appended at the version read, each event stamped with its own caller. A payment that is
/// refused is answered and leaves the others alone. Another writer that changed one of the accounts first makes
/// the commit lose its race: Wolverine runs the handler again on the new state (<see
/// cref="Conflicts.RetryLostRaces"/>).
/// </summary>
public static class RecordPaymentBatchHandler
{
    public static async Task<IReadOnlyList<PaymentOutcome>> Handle(
        RecordPaymentBatch batch,
        IDocumentSession session,
        IClock clock,
        Regime regime,
        IMessageBus bus,
        CancellationToken ct
    )
    {
        var today = ElSalvador.Today(clock);
        var payments = batch.Payments;
        var query = session.CreateBatchQuery();
        var receiptsRead = query
            .LoadMany<PaymentReceipt>()
            .ById(payments.Select(p => p.Command.ReceiptKey).Distinct().ToArray());
        var accountsRead = AccountsForWriting.Enlist(query, payments.Select(p => p.Command.AffiliationNumber));
        await query.Execute(ct);
        var receipts = (await receiptsRead).ToDictionary(r => r.Id);
        var streams = await accountsRead();

        // The accounts as read: their standing is what the rights changes are measured from.
        var before = streams
            .Where(s => s.Value.Aggregate is not null)
            .ToDictionary(s => s.Key, s => s.Value.Aggregate!);
        var accounts = new Dictionary<string, Account>(before);
        var appended = new Dictionary<string, List<(object Event, Stamps Stamps)>>();
        var outcomes = new List<PaymentOutcome>(payments.Count);
        foreach (var (command, stamps) in payments)
        {
            var number = command.AffiliationNumber;
            var step = PaymentStep.Decide(
                command,
                accounts.GetValueOrDefault(number),
                receipts.GetValueOrDefault(command.ReceiptKey),
                today,
                regime
            );
            outcomes.Add(step.Outcome);
            if (step.Receipt is null)
                continue;
            receipts[step.Receipt.Id] = step.Receipt;
            session.Insert(step.Receipt);
            accounts[number] = step.Events.Aggregate(accounts[number], (a, e) => a.After(e)) with
            {
                Version = accounts[number].Version + step.Events.Count,
            };
            if (!appended.TryGetValue(number, out var events))
                appended[number] = events = [];
            events.AddRange(step.Events.Select(e => (e, stamps)));
        }

        var changes = new List<RightsChanged>();
        foreach (var (number, events) in appended)
        {
            // At the version read: a payment or command committed on this account since then fails the batch's commit.
            var stream = streams[number];
            stream.AppendMany(events.Select(e => e.Event).ToArray());
            foreach (var (e, (_, stamps)) in stream.Events.Zip(events))
                stamps.Apply(e);
            changes.AddRange(
                RightsChangeOutbox.Of(
                    before[number],
                    accounts[number],
                    today,
                    regime,
                    RightsChangeCause.Payment,
                    clock.GetCurrentInstant()
                )
            );
        }
        // One message in the outbox of this session: stored with the events, sent once they commit.
        await RightsChangeOutbox.PublishAsync(bus, changes);
        await session.SaveChangesAsync(ct);
        return outcomes;
    }
}
