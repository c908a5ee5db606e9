namespace Salex.Ledger.Api.Features.Auditing;

public sealed record ProjectionReport(
    int Accounts,
    int ReserveYears,
    int BankFiles,
    IReadOnlyList<ProjectionDifference> Differences
)
{
    public bool Matches => Differences.Count == 0;
}
