using NodaTime;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Contributions;

/// <summary>
/// The single answer about a payment. <see cref="Events"/> record it when the money has already been taken
/// (a bank file): the applied periods, and a refund due for what cannot be applied. The payments API records
/// them only when the verdict is <see cref="PaymentVerdict.Accepted"/>, and otherwise refuses the payment.
/// </summary>
public sealed record PaymentJudgement(
    PaymentVerdict Verdict,
    PaymentSource Source,
    decimal Amount,
    PaymentAllocation? Allocation,
    decimal Refund,
    YearMonth? LastPayablePeriod,
    LocalDate EnrolledOn,
    EpisodeEnd? End,
    IReadOnlyList<object> Events
)
{
    public bool IsAccepted => Verdict == PaymentVerdict.Accepted;
}
