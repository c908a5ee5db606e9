using JasperFx.Events;
using Salex.Ledger;

namespace Salex.Projections.Reserve;

/// <summary>
/// The reserve's fold, pure: the base contributions of each (year of payment, insured) pair in some events. The
/// async projection tallies one page at a time and adds the page to the stored rows; verify-projections tallies
/// every payment event at once and compares.
/// </summary>
public sealed class ReserveTally
{
    private readonly Dictionary<(int Year, string Insured), decimal> _pairs = [];

    public IReadOnlyDictionary<(int Year, string Insured), decimal> Pairs => _pairs;

    /// <summary>Counts a payment in the year it was paid; other events and payments of no period change
    /// nothing.</summary>
    public void Add(IEvent e) => Add(e.StreamKey!, e.Data);

    /// <summary>The same, for an event's data and its stream's key (the one-pass rebuild reads no <see cref="IEvent"/>).</summary>
    public void Add(string insured, object data)
    {
        var (source, periods) = data switch
        {
            ContributionPaid c => (c.Source, c.Periods),
            AdvancePaid a => (a.Source, a.Periods),
            _ => (null, null),
        };
        if (source is null || periods is null || periods.Count == 0)
            return;
        var key = (source.PaidOn.Year, insured);
        _pairs[key] = _pairs.GetValueOrDefault(key) + periods.Sum(p => p.Base);
    }

    /// <summary>Each year's base contributions and distinct insured.</summary>
    public IReadOnlyList<ReserveYear> Years() =>
        _pairs
            .GroupBy(p => p.Key.Year)
            .OrderBy(g => g.Key)
            .Select(g => new ReserveYear(g.Key, g.Sum(p => p.Value), g.Count()))
            .ToList();
}
