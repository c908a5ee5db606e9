namespace Salex.Ledger.Api.Features.Rates;

public sealed record RejectRateChangeRequest(string? Reason);
