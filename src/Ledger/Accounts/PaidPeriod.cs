using NodaTime;

namespace Salex.Ledger.Accounts;

/// <summary>A period as paid, with the bank's date: rights on a past date only count money paid by then.</summary>
public sealed record PaidPeriod(
    int Episode,
    YearMonth Period,
    LocalDate PaidOn,
    decimal Base,
    decimal Surcharge,
    string BankCode,
    string Reference
)
{
    /// <summary>Set on a period that became a refund due: from this day on it is no longer paid.</summary>
    public LocalDate? RefundedOn { get; init; }

    /// <summary>Paid by the end of <paramref name="date"/> and not yet refunded then.</summary>
    public bool IsPaidOn(LocalDate date) => PaidOn <= date && (RefundedOn is null || date < RefundedOn);
}
