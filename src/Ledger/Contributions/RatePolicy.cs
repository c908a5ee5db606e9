using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

/// <summary>A row of the rate schedule, recorded on the policy stream. Rows are never edited: a new row supersedes from its first period on.</summary>
public sealed record RateAdded(YearMonth FirstPeriod, decimal MinimumWage);

/// <summary>The rules for adding a row to the schedule: pure, like every other decision.</summary>
public static class RatePolicy
{
    /// <summary>The schedule folded from the policy stream's events; null when there are none.</summary>
    public static RateSchedule? Fold(IEnumerable<RateAdded> rows)
    {
        var list = rows.Select(r => new RateRow(r.FirstPeriod, r.MinimumWage)).ToList();
        return list.Count == 0 ? null : new RateSchedule(list);
    }

    /// <summary>
    /// A new row must start after the schedule's last row and after every period already paid (on any account),
    /// so no recorded contribution is ever re-priced; the minimum wage is positive, to the cent.
    /// </summary>
    public static IReadOnlyList<Refusal> Check(RateAdded row, RateSchedule current, YearMonth? lastPaidPeriod)
    {
        var refusals = new List<Refusal>();
        if (row.MinimumWage <= 0 || !Money.IsWholeCents(row.MinimumWage))
            refusals.Add(Refusal.Invalid("minimumWage", "The minimum wage must be a positive amount in dollars and cents."));
        var last = current.Rows[^1].FirstPeriod;
        if (row.FirstPeriod <= last)
            refusals.Add(Refusal.Conflict("firstPeriod",
                $"Rows cannot be edited or back-dated: the schedule's last row starts at {Periods.Format(last)}; a new row must start after it."));
        else if (lastPaidPeriod is { } paid && row.FirstPeriod <= paid)
            refusals.Add(Refusal.Conflict("firstPeriod",
                $"Periods up to {Periods.Format(paid)} already have payments; a new row must start after {Periods.Format(paid)}."));
        return refusals;
    }
}
