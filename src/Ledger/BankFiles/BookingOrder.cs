using NodaTime;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// The order in which a file's payments are applied: each insured account's payments in the order the bank booked
/// them (its instant), then in file order; payments of different accounts, and lines without money, in file order.
/// So a payment booked on 27 May that comes first in a file does not leave a credit that pays a period of a payment
/// booked on 10 April. Built from a first reading of the file (<see cref="Note"/>), then <see cref="Apply"/> reorders
/// the second reading, holding back only the payments that come too early (not the whole file).
/// Each entry is renumbered with its place in that order (<see cref="BankFileEntry.Number"/>): the n-th entry applied
/// gets the n-th smallest number of the file, so a file already in order keeps its numbers, and an import that
/// stopped resumes after the last one recorded.
/// </summary>
public sealed class BookingOrder
{
    private readonly Dictionary<string, List<(Instant PaidAt, int Number)>> _payments = new(StringComparer.Ordinal);

    /// <summary>Takes note of one entry of the first reading.</summary>
    public void Note(BankFileEntry entry)
    {
        if (entry.Line is not { } line)
            return;
        if (!_payments.TryGetValue(line.AffiliationNumber, out var list))
            _payments[line.AffiliationNumber] = list = [];
        list.Add((line.PaidAt, entry.Number));
    }

    /// <summary>How many payments come in the file before one of the same account booked earlier.</summary>
    public int OutOfOrder =>
        _outOfOrder ?? _payments.Values.Sum(l => l.Zip(l.Skip(1)).Count(p => p.Second.PaidAt < p.First.PaidAt));

    /// <summary><see cref="OutOfOrder"/> as it was when the order was applied.</summary>
    private int? _outOfOrder;

    /// <summary>The entries of the second reading in the order to apply them, renumbered. Applied once: what was
    /// noted is released.</summary>
    public IEnumerable<BankFileEntry> Apply(IEnumerable<BankFileEntry> entries)
    {
        // Only accounts whose payments are out of order constrain anything: for each, the numbers in booking order.
        var expected = _payments
            .Where(p => p.Value.Zip(p.Value.Skip(1)).Any(x => x.Second.PaidAt < x.First.PaidAt))
            .ToDictionary(
                p => p.Key,
                p => new Queue<int>(p.Value.OrderBy(x => x.PaidAt).ThenBy(x => x.Number).Select(x => x.Number)),
                StringComparer.Ordinal
            );
        // What was noted of every payment of the file (a third of an importing API's live objects for 100,000 lines)
        // is not needed once the order is known; the import keeps this object to its end.
        _outOfOrder = OutOfOrder;
        _payments.Clear();
        _payments.TrimExcess();
        return InOrder(expected, entries);
    }

    private static IEnumerable<BankFileEntry> InOrder(
        Dictionary<string, Queue<int>> expected,
        IEnumerable<BankFileEntry> entries
    )
    {
        var held = new Dictionary<int, BankFileEntry>();
        var numbers = new Queue<int>();
        foreach (var entry in entries)
        {
            numbers.Enqueue(entry.Number);
            if (entry.Line is not { } line || !expected.TryGetValue(line.AffiliationNumber, out var queue))
            {
                yield return entry with
                {
                    Number = numbers.Dequeue(),
                };
                continue;
            }
            held[entry.Number] = entry;
            while (queue.Count > 0 && held.Remove(queue.Peek(), out var next))
            {
                queue.Dequeue();
                yield return next with
                {
                    Number = numbers.Dequeue(),
                };
            }
        }
        // Only if the second reading differed from the first: what is left, in file order.
        foreach (var entry in held.OrderBy(h => h.Key).Select(h => h.Value))
            yield return entry with
            {
                Number = numbers.Dequeue(),
            };
    }
}
