namespace Salex.Ledger.Api.Features.Rates;

public sealed record RateScheduleView(long Version, IReadOnlyList<RateRowView> Rows);
