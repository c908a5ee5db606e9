using Marten;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// The file's reconciliation so far; a file seen for the first time starts its stream. The same file arriving twice at
/// once: one start wins, the other loses the race (the stream exists) and runs again, finding it started.
/// </summary>
public static class StartBankFileHandler
{
    public static async Task<BankFileReconciliation> Handle(
        StartBankFile command,
        IDocumentSession session,
        CancellationToken ct
    )
    {
        var fileId = command.Received.FileId;
        session.SetHeader("bankFile", fileId);
        if (await session.LoadAsync<BankFileReconciliation>(fileId, ct) is { } existing)
            return existing;
        session.Events.StartStream(fileId, command.Received);
        await session.SaveChangesAsync(ct);
        return BankFileReconciliation.Start(command.Received);
    }
}
