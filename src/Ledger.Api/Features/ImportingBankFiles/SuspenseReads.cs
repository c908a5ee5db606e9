using Marten;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections.Payments;
using Wolverine.Persistence;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>What settling a suspense item needs besides the item: its file's reconciliation and its receipt.</summary>
public static class SuspenseReads
{
    public static async Task<(BankFileReconciliation File, PaymentReceipt Receipt)> FileAndReceiptAsync(
        IDocumentSession session,
        SuspenseItem item,
        CancellationToken ct
    )
    {
        session.SetHeader("bankFile", item.FileId);
        var file =
            await session.LoadAsync<BankFileReconciliation>(item.FileId, ct)
            ?? throw new InvalidOperationException(
                $"The bank file {item.FileId} of suspense item {item.Id} is missing."
            );
        var key = PaymentReceipt.KeyOf(item.BankCode, item.TransactionId);
        var receipt =
            await session.LoadAsync<PaymentReceipt>(key, ct)
            ?? throw new InvalidOperationException($"The receipt {key} of suspense item {item.Id} is missing.");
        return (file, receipt);
    }

    /// <summary>
    /// The file line a suspense item becomes when it is given to <paramref name="affiliationNumber"/>: what the
    /// assignment decides, and what the console's preview decides without recording it.
    /// </summary>
    public static BankFileLine LineAssignedTo(SuspenseItem item, string affiliationNumber)
    {
        // The bank's instant is not kept on the item, only its date in El Salvador, which is all a decision needs.
        var paidAt = item.PaidOn.AtStartOfDayInZone(ElSalvador.TimeZone).ToInstant();
        var channel = Enum.Parse<Channel>(item.Channel, ignoreCase: true);
        return new BankFileLine(
            item.Line,
            item.BankCode,
            item.TransactionId,
            paidAt,
            affiliationNumber,
            item.Amount,
            channel
        );
    }

    /// <summary>The items of a status, oldest payment first (the API's list and the console's).</summary>
    public static async Task<IReadOnlyList<SuspenseView>> ListAsync(
        IQuerySession session,
        SuspenseStatus status,
        CancellationToken ct
    )
    {
        var items = await session.Query<SuspenseItem>().Where(s => s.Status == status).ToListAsync(ct);
        return items.OrderBy(s => s.PaidOn).ThenBy(s => s.Id).Select(SuspenseView.Of).ToList();
    }
}
