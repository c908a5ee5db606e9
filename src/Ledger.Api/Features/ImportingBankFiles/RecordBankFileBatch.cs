using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// The next lines of a bank file to record, in the order they are applied; with <see cref="Completion"/> (the
/// statements' own checks, empty for CSV) the batch also completes the file.
/// </summary>
public sealed record RecordBankFileBatch(
    string FileId,
    IReadOnlyList<BankFileEntry> Entries,
    IReadOnlyList<StatementCheck>? Completion
) : IStampedCommand;
