using JasperFx.Events;
using Salex.Ledger;
using Salex.Ledger.Enrolment;
using Salex.Projections.Accounts;
using Salex.Projections.Payments;

namespace Salex.Projections.Integrity;

/// <summary>
/// What the live paths write beside an account's events, for the streams of one part of a loaded history: the receipt
/// of every bank transaction (<see cref="HistoryReceipts"/>: a payment sent again is not recorded twice, the money audit
/// finds every transaction's receipt), the DUI's registration (the person is found by DUI and not enrolled a second
/// time), and the highest affiliation number of this ledger's own format (the next enrolment is numbered after it).
/// Written in the part's transaction by <see cref="HistoryCopy"/>, already serialised (they are derived while the part
/// before is copied).
/// </summary>
internal sealed record HistoryDocuments(
    DocumentRows Receipts,
    DocumentRows Registrations,
    long HighestAffiliationSequence
)
{
    /// <summary>
    /// Refuses, before anything of the part is written, a bank transaction on two accounts or a DUI enrolled on two
    /// streams: the ledger keeps each on one account, as the live paths do.
    /// </summary>
    public static HistoryDocuments Of(IReadOnlyList<StreamAction> streams, Regime regime)
    {
        var receipts = new Dictionary<string, PaymentReceipt>(StringComparer.Ordinal);
        var registrations = new Dictionary<string, DuiRegistration>(StringComparer.Ordinal);
        long highest = 0;
        foreach (var stream in streams)
        {
            var number = stream.Key!;
            if (stream.Events.FirstOrDefault()?.Data is not Enrolled enrolled)
                continue;
            if (!registrations.TryAdd(enrolled.Dui, new DuiRegistration(enrolled.Dui, number)))
                throw new ArgumentException(
                    $"The DUI {enrolled.Dui} is enrolled on two streams of the history ({registrations[enrolled.Dui].AffiliationNumber} "
                        + $"and {number}): a person has one account for life. Nothing of this part was written.",
                    nameof(streams)
                );
            foreach (var receipt in HistoryReceipts.Of(number, stream.Events.Select(e => e.Data), regime))
                if (!receipts.TryAdd(receipt.Id, receipt))
                    throw new ArgumentException(
                        $"The bank transaction {receipt.Id} holds money on two accounts of the history "
                            + $"({receipts[receipt.Id].AffiliationNumber} and {number}): a transaction pays one account. "
                            + "Nothing of this part was written.",
                        nameof(streams)
                    );
            if (AffiliationNumber.IsWellFormed(number) && long.TryParse(number[..^1], out var sequence))
                highest = Math.Max(highest, sequence);
        }
        return new HistoryDocuments(
            DocumentRows.Of(receipts.Values, r => r.Id, ["bank", "day"], r => [r.Bank, r.Day]),
            DocumentRows.Of(registrations.Values, r => r.Id, [], _ => []),
            highest
        );
    }
}

/// <summary>Documents of one type as their table's rows: the id, the JSON by the store's serializer, the values of the
/// duplicated fields (<see cref="Columns"/>).</summary>
internal sealed record DocumentRows(
    Type DocumentType,
    IReadOnlyList<string> Columns,
    IReadOnlyList<(string Id, byte[] Json, string[] Duplicated)> Rows
)
{
    public static DocumentRows Of<T>(
        IEnumerable<T> documents,
        Func<T, string> idOf,
        IReadOnlyList<string> columns,
        Func<T, string[]> duplicated
    )
        where T : notnull =>
        new(typeof(T), columns, [.. documents.Select(d => (idOf(d), LedgerSerializer.ToUtf8Json(d), duplicated(d)))]);
}
