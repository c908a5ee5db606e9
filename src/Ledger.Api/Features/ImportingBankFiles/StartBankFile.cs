using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>A bank file arrived: its stream is started unless an earlier import of the same bytes started it.</summary>
public sealed record StartBankFile(BankFileReceived Received) : IStampedCommand;
