namespace Salex.Ledger.Api.Features.ImportingBankFiles;

public sealed record RefundSuspenseRequest(string? Reason);
