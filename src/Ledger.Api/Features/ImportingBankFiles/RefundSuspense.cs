using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>Finance paid the suspense item <see cref="Id"/> back to the payer, for <see cref="Reason"/>.</summary>
public sealed record RefundSuspense(string Id, string Reason) : IStampedCommand;
