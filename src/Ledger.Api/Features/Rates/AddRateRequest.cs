namespace Salex.Ledger.Api.Features.Rates;

public sealed record AddRateRequest(string? FirstPeriod, decimal? MinimumWage);
