using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Ledger.Rights;
using Salex.Projections.Payments;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.Persistence;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>Gives suspense money to an account, judged like the file line it came from (see <see
/// cref="RefundSuspenseHandler"/>
/// for why one of any number of concurrent settlements commits).</summary>
public static class AssignSuspenseHandler
{
    public static async Task<SuspenseOutcome> Handle(
        AssignSuspense command,
        [Entity(nameof(AssignSuspense.Id), Required = false)] SuspenseItem? item,
        IDocumentSession session,
        Regime regime,
        IClock clock,
        IMessageBus bus,
        CancellationToken ct
    )
    {
        if (item is null)
            return SuspenseOutcome.NotFound(command.Id);
        if (item.Status != SuspenseStatus.Open)
            return SuspenseOutcome.AlreadySettled(item);
        var number = command.AffiliationNumber;
        var account = await session.LoadAsync<Account>(number, ct);
        if (account is null)
            return SuspenseOutcome.Refused(Problems.UnknownAccountRefusal(number));
        var (file, _) = await SuspenseReads.FileAndReceiptAsync(session, item, ct);

        var line = SuspenseReads.LineAssignedTo(item, number);
        var decision = BankFileDecisions.Decide(line, account, regime);

        if (decision.AccountEvents.Count > 0)
        {
            session.Events.Append(number, account.Version + decision.AccountEvents.Count, [.. decision.AccountEvents]);
            var after = decision.AccountEvents.Aggregate(account, (a, e) => a.After(e)) with
            {
                Version = account.Version + decision.AccountEvents.Count,
            };
            // In the outbox of this session: stored with the events, sent once they commit.
            await RightsChangeOutbox.PublishAsync(
                bus,
                account,
                after,
                ElSalvador.Today(clock),
                regime,
                RightsChangeCause.SuspenseAssigned,
                clock.GetCurrentInstant()
            );
        }
        session.Events.Append(item.FileId, file.Version + 1, new SuspenseAssigned(item.Id, number, item.Amount));
        session.Store(item with { Status = SuspenseStatus.Assigned, AssignedTo = number });
        var receipt = PaymentReceipt.ForFileLine(item.FileId, line, decision, account, regime);
        session.Store(receipt);
        await session.SaveChangesAsync(ct);
        var r = decision.Recorded;
        return SuspenseOutcome.Done(
            new SuspenseAssignment(
                item.Id,
                number,
                r.Outcome.ToString(),
                r.Amount,
                r.Contributions,
                r.Surcharges,
                r.Credit,
                r.Refund,
                r.Reason,
                receipt.Response
            )
        );
    }
}
