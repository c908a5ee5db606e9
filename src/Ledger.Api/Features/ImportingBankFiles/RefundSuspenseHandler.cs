using Marten;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections.Payments;
using Wolverine.Persistence;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// Settling suspense spends money, so exactly one of any number of concurrent settlements of one item commits: the
/// item has Marten's optimistic concurrency and each settlement rewrites it in the transaction of its events. The
/// loser's commit fails its race; Wolverine runs the handler again (<see cref="Conflicts.RetryLostRaces"/>) and it
/// finds the item settled: 409.
/// </summary>
public static class RefundSuspenseHandler
{
    public static async Task<SuspenseOutcome> Handle(
        RefundSuspense command,
        [Entity(nameof(RefundSuspense.Id), Required = false)] SuspenseItem? item,
        IDocumentSession session,
        CancellationToken ct
    )
    {
        if (item is null)
            return SuspenseOutcome.NotFound(command.Id);
        if (item.Status != SuspenseStatus.Open)
            return SuspenseOutcome.AlreadySettled(item);
        var (file, receipt) = await SuspenseReads.FileAndReceiptAsync(session, item, ct);

        var refunded = new SuspenseRefunded(item.Id, item.Amount, command.Reason);
        session.Events.Append(item.FileId, file.Version + 1, refunded);
        var settled = item with { Status = SuspenseStatus.Refunded, RefundReason = command.Reason };
        session.Store(settled);
        session.Store(receipt with { Trail = receipt.Trail.SuspenseRefunded() });
        await session.SaveChangesAsync(ct);
        return SuspenseOutcome.Done(SuspenseView.Of(settled));
    }
}
