namespace Salex.Ledger.Api.Features.Rates;

public sealed record ProposeRateChangeRequest(string? Kind, string? FirstPeriod, decimal? MinimumWage, string? Reason);
