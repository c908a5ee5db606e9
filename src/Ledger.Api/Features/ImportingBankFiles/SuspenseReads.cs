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
}
