using System.Text.Json.Serialization;
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

    /// <summary>
    /// For System.Text.Json only: an account holds a paid period per month paid, and a type of more than four
    /// constructor parameters is read through the serializer's slow path (its arguments boxed in an array). With
    /// this constructor the serializer sets the properties instead: an account read 35 % faster (docs/benchmarks.md).
    /// The ledger's own options now read and write paid periods by hand (<c>PaidPeriodJsonConverter</c>); this keeps
    /// System.Text.Json's own path, the one that converter is tested against, complete and fast.
    /// </summary>
    [JsonConstructor]
    private PaidPeriod()
        : this(0, default, default, 0m, 0m, "", "") { }

    /// <summary>Paid by the end of <paramref name="date"/> and not yet refunded then.</summary>
    public bool IsPaidOn(LocalDate date) => PaidOn <= date && (RefundedOn is null || date < RefundedOn);
}
