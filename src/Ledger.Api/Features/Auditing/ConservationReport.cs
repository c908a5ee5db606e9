namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>The ledger's money, summed from the events, and every way it fails to add up.</summary>
public sealed record ConservationReport(
    int Transactions,
    decimal Received,
    decimal OnAccounts,
    decimal OpenSuspense,
    decimal RefundedSuspense,
    IReadOnlyList<string> Problems
)
{
    public bool Holds => Problems.Count == 0;
}
