using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>
/// How one payment is spent: whole periods, oldest unpaid first, each at its own rate and with its own
/// surcharge for the payment date; what is left is a remainder (credit, or a refund when past the limit).
/// </summary>
public sealed record PaymentAllocation(
    PaymentSource Source,
    decimal Amount,
    decimal CreditApplied,
    IReadOnlyList<PeriodPayment> Contributions,
    IReadOnlyList<PeriodPayment> Advances,
    decimal Remainder,
    bool StoppedAtAdvanceLimit,
    YearMonth LastPayablePeriod
)
{
    /// <summary>The number of the episode paid when it is not the one in course (money dated inside an earlier
    /// episode); null for the episode in course.</summary>
    public int? Episode { get; init; }

    public IEnumerable<PeriodPayment> Periods => Contributions.Concat(Advances);
    public decimal ContributionsTotal => Periods.Sum(p => p.Base);
    public decimal SurchargesTotal => Periods.Sum(p => p.Surcharge);

    /// <summary>
    /// The events that record this allocation when the remainder stays on the account as credit.
    /// A payment paying overdue, current and future periods is a ContributionPaid and an AdvancePaid
    /// sharing the bank reference.
    /// </summary>
    public IReadOnlyList<object> ToEvents()
    {
        var events = new List<object>();
        if (CreditApplied > 0)
            events.Add(new CreditApplied(Source, CreditApplied));
        if (Contributions.Count > 0)
            events.Add(new ContributionPaid(Source, Contributions, Episode));
        if (Advances.Count > 0)
            events.Add(new AdvancePaid(Source, Advances, Episode));
        if (Remainder > 0)
            events.Add(new CreditRecorded(Source, Remainder));
        return events;
    }
}
