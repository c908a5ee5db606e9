namespace Salex.Ledger.Api.Features.Rates;

public sealed record RateRowView(string FirstPeriod, decimal MinimumWage, decimal MonthlyContribution);
