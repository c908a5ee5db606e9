namespace Salex.Ledger.Api.Features.Auditing;

public sealed record ProjectionReport(
    int Accounts,
    int ReserveYears,
    int BankFiles,
    IReadOnlyList<ProjectionDifference> Differences
)
{
    public bool Matches => Differences.Count == 0;

    /// <summary>The last event the reserve's daemon has counted (its progress mark): the reserve is compared up to it,
    /// so a daemon behind, or stopped, is not a difference; <see cref="PaymentsNotCounted"/> says how far behind.</summary>
    public long ReserveMark { get; init; }

    /// <summary>Payment events after the mark, in the same snapshot: the reserve has yet to count them.</summary>
    public long PaymentsNotCounted { get; init; }
}
