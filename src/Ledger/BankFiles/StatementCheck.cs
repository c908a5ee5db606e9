using System.Globalization;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// One camt.053 statement checked against its own figures. <see cref="Credits"/> entries for
/// <see cref="CreditAmount"/> were read as money (each is a line, or one line per transaction of a batch);
/// <see cref="PassedOver"/> credit entries are not payments (reversals, entries not booked); <see cref="Unread"/>
/// credit entries could not be read as payments (malformed lines, each with its reason). The statement's own totals are
/// <c>TxsSummry/TtlCdtNtries</c> (<see cref="DeclaredCredits"/>, <see cref="DeclaredCreditAmount"/>) and its opening
/// and
/// closing balances; <see cref="BookedNet"/> is the booked credits less the booked debits. Every way they disagree is
/// one of <see cref="Differences"/>.
/// </summary>
public sealed record StatementCheck(
    string Statement,
    string? Account,
    string? Currency,
    int Credits,
    decimal CreditAmount,
    int PassedOver,
    decimal PassedOverAmount,
    int Unread,
    int? DeclaredCredits,
    decimal? DeclaredCreditAmount,
    decimal? Opening,
    decimal? Closing,
    decimal BookedNet,
    IReadOnlyList<string> Differences
)
{
    public bool Agrees => Differences.Count == 0;

    /// <summary>The statement carries figures of its own to compare with (a credit total, or both balances).</summary>
    public bool HasTotals => DeclaredCreditAmount is not null || (Opening is not null && Closing is not null);

    /// <summary>The check of a statement whose entries were tallied; the differences are found here.</summary>
    public static StatementCheck Of(
        string statement,
        string? account,
        string? currency,
        int credits,
        decimal creditAmount,
        int passedOver,
        decimal passedOverAmount,
        int unread,
        int? declaredCredits,
        decimal? declaredAmount,
        decimal? opening,
        decimal? closing,
        decimal bookedNet,
        bool balancesReadable
    )
    {
        var differences = new List<string>();
        if (unread > 0)
            differences.Add(
                $"{unread} credit entr{(unread == 1 ? "y" : "ies")} could not be read as payments: another "
                    + $"currency, an amount that is not dollars and cents, or a reference that cannot be kept (each "
                    + $"malformed line says which)."
            );
        if (declaredAmount is { } declared && declared != creditAmount + passedOverAmount)
            differences.Add(
                $"The statement declares {Money(declared)} in "
                    + $"{declaredCredits?.ToString(CultureInfo.InvariantCulture) ?? "?"} "
                    + $"credit entries (TxsSummry/TtlCdtNtries); {Money(creditAmount)} in {credits} were read as money"
                    + (
                        passedOver > 0
                            ? $" and {Money(passedOverAmount)} in {passedOver} passed over (reversals, not "
                                + $"booked)"
                            : ""
                    )
                    + $": a difference of {Money(declared - creditAmount - passedOverAmount)}."
            );
        else if (declaredCredits is { } count && count != credits + passedOver + unread)
            differences.Add(
                $"The statement declares {count} credit entries (TxsSummry/TtlCdtNtries); "
                    + $"{credits + passedOver + unread} were found."
            );
        if (opening is { } open && closing is { } close)
        {
            if (!balancesReadable)
                differences.Add("The balances cannot be checked: an entry's amount could not be read.");
            else if (open + bookedNet != close)
                differences.Add(
                    $"Opening balance {Money(open)} + booked credits − booked debits "
                        + $"{Money(bookedNet)} = {Money(open + bookedNet)}, "
                        + $"but the closing balance is {Money(close)}: a difference of {Money(close - open - bookedNet)}."
                );
        }
        return new StatementCheck(
            statement,
            account,
            currency,
            credits,
            creditAmount,
            passedOver,
            passedOverAmount,
            unread,
            declaredCredits,
            declaredAmount,
            opening,
            closing,
            bookedNet,
            differences
        );
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
