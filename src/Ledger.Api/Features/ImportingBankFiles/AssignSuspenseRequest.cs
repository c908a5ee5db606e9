namespace Salex.Ledger.Api.Features.ImportingBankFiles;

public sealed record AssignSuspenseRequest(string? AffiliationNumber);
