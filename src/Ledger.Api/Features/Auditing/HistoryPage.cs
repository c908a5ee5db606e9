namespace Salex.Ledger.Api.Features.Auditing;

public sealed record HistoryPage(
    string AffiliationNumber,
    int Page,
    int PageSize,
    int TotalEvents,
    IReadOnlyList<HistoryEntry> Events
);
