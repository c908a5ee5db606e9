using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Rights;

public enum RightsStatus
{
    NotCovered,
    Active,
    Arrears,
    Lapsed,
}

/// <summary>An overdue unpaid period on a date: what it would cost to pay it that day.</summary>
public sealed record OverduePeriod(
    YearMonth Period,
    LocalDate DueDate,
    decimal Base,
    int DaysLate,
    decimal SurchargeRate,
    decimal Surcharge
)
{
    public decimal Total => Base + Surcharge;
}

/// <summary>
/// An account's standing on a business date, counting only money paid by that date (the bank's date):
/// a period paid late restores rights from the day it was paid, not before. Lapses and the end of a
/// return window are taken into account whether or not their events have been recorded yet.
/// </summary>
public sealed record Standing(
    RightsStatus Status,
    Episode? Episode,
    YearMonth? PaidThrough,
    YearMonth? CoveredThrough,
    IReadOnlyList<OverduePeriod> Overdue,
    EpisodeEnd? End
)
{
    public decimal ArrearsTotal => Overdue.Sum(p => p.Total);
    public bool HasRights => Status == RightsStatus.Active;

    public static Standing On(Account account, LocalDate date, Regime regime)
    {
        var episode = account.EpisodeOn(date);
        if (episode is null)
            return new Standing(RightsStatus.NotCovered, null, null, null, [], null);
        if (date < episode.FirstPeriod.FirstDay())
        {
            // Between two episodes the person is lapsed, covered through the previous episode's last covered
            // period; before the first one, not covered yet.
            var previous = account.Episodes.LastOrDefault(e => e.Number < episode.Number);
            var previousEnd = previous is null ? null : EpisodeEnd.On(account, previous, date, regime);
            return new Standing(
                previous is null ? RightsStatus.NotCovered : RightsStatus.Lapsed,
                episode,
                null,
                previousEnd?.LastCoveredPeriod,
                [],
                null
            );
        }

        var end = EpisodeEnd.On(account, episode, date, regime);
        if (end is not null)
            return new Standing(RightsStatus.Lapsed, episode, end.LastCoveredPeriod, end.LastCoveredPeriod, [], end);

        // Money paid by the date, and periods refunded later (a return, a withdrawal) still as paid: an answer
        // about a date depends only on what had happened by then.
        var paidBy = PaidMonths(account, episode, date);
        bool IsPaid(YearMonth period) =>
            episode.FirstPeriod.MonthsUntil(period) is var i && i >= 0 && i < paidBy.Length && paidBy[i];
        var firstUnpaid = episode.FirstPeriod;
        while (IsPaid(firstUnpaid))
            firstUnpaid = firstUnpaid.Next();
        YearMonth? paidThrough = firstUnpaid == episode.FirstPeriod ? null : firstUnpaid.Previous();

        var overdue = new List<OverduePeriod>();
        for (var period = firstUnpaid; regime.Calendar.DueDate(period) < date; period = period.Next())
        {
            if (IsPaid(period))
                continue;
            var due = regime.Calendar.DueDate(period);
            var contribution = regime.Rates.ContributionFor(period);
            var daysLate = Surcharge.DaysLate(due, date);
            overdue.Add(
                new OverduePeriod(
                    period,
                    due,
                    contribution,
                    daysLate,
                    Surcharge.RateFor(daysLate),
                    Surcharge.On(contribution, daysLate)
                )
            );
        }

        if (overdue.Count > 0 && !regime.Rules.RightsDuringArrears)
            return new Standing(RightsStatus.Arrears, episode, paidThrough, paidThrough, overdue, null);

        // Nothing overdue: the month in course is covered even before its contribution is due, but never past
        // the end of a return window once the person has returned.
        var current = Periods.PeriodOf(date);
        var coveredThrough = paidThrough is { } through && through > current ? through : current;
        if (
            episode is { ReturnedOn: { } returnedOn, CoveredUntil: { } until }
            && returnedOn <= date
            && coveredThrough > Periods.PeriodOf(until)
        )
            coveredThrough = Periods.PeriodOf(until);
        return new Standing(RightsStatus.Active, episode, paidThrough, coveredThrough, overdue, null);
    }

    /// <summary>
    /// The periods of an episode paid as things stood on a date (<see cref="Account.PaidIn(Episode, LocalDate)"/>), one
    /// flag per month from the episode's first period. Every rights answer asks this; a set of periods built per call
    /// was a measurable share of the answer's time (docs/benchmarks.md).
    /// </summary>
    private static bool[] PaidMonths(Account account, Episode episode, LocalDate date)
    {
        var months = 0;
        foreach (var list in (ReadOnlySpan<IReadOnlyList<PaidPeriod>>)[account.Paid, account.Refunded])
        foreach (var p in list)
            if (p.Episode == episode.Number && p.IsPaidOn(date))
                months = Math.Max(months, episode.FirstPeriod.MonthsUntil(p.Period) + 1);
        var paid = new bool[months];
        foreach (var list in (ReadOnlySpan<IReadOnlyList<PaidPeriod>>)[account.Paid, account.Refunded])
        foreach (var p in list)
            if (
                p.Episode == episode.Number
                && p.IsPaidOn(date)
                && episode.FirstPeriod.MonthsUntil(p.Period) is >= 0 and var i
            )
                paid[i] = true;
        return paid;
    }
}
