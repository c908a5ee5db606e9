using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Rights;

/// <summary>
/// The day each period of an episode was paid, as the account stands now (refunded periods left out), looked up by
/// the month's distance from the episode's first period. The lapse rule and the waiting period each ask it for every
/// month of the episode on every rights answer; with an array instead of a dictionary per call (and the due dates'
/// array, <see cref="Calendar.BusinessCalendar.DueDate"/>) an answer took 5.0 µs and 2.0 KB instead of 6.1 µs and
/// 7.7 KB (docs/benchmarks.md, "The rights answer's own work").
/// </summary>
public readonly struct PaidOnByMonth
{
    private readonly YearMonth _first;
    private readonly LocalDate?[] _paidOn;

    private PaidOnByMonth(YearMonth first, LocalDate?[] paidOn)
    {
        _first = first;
        _paidOn = paidOn;
    }

    public static PaidOnByMonth Of(Account account, Episode episode)
    {
        var months = 0;
        foreach (var p in account.Paid)
            if (p.Episode == episode.Number)
                months = Math.Max(months, episode.FirstPeriod.MonthsUntil(p.Period) + 1);
        var paidOn = new LocalDate?[months];
        foreach (var p in account.Paid)
            if (p.Episode == episode.Number && episode.FirstPeriod.MonthsUntil(p.Period) is >= 0 and var i)
                paidOn[i] ??= p.PaidOn;
        return new PaidOnByMonth(episode.FirstPeriod, paidOn);
    }

    /// <summary>The day <paramref name="period"/> was paid; false when it is not paid (or not of the episode).</summary>
    public bool TryGet(YearMonth period, out LocalDate paidOn)
    {
        var i = _first.MonthsUntil(period);
        if (i >= 0 && i < _paidOn.Length && _paidOn[i] is { } on)
        {
            paidOn = on;
            return true;
        }
        paidOn = default;
        return false;
    }
}
