using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Rights;

public enum RightsStatus { NotCovered, Active, Arrears, Lapsed }

/// <summary>An overdue unpaid period on a date: what it would cost to pay it that day.</summary>
public sealed record OverduePeriod(YearMonth Period, LocalDate DueDate, decimal Base, int DaysLate, decimal SurchargeRate, decimal Surcharge)
{
    public decimal Total => Base + Surcharge;
}

/// <summary>
/// An account's standing on a business date, counting only money paid by that date (the bank's date):
/// a period paid late restores rights from the day it was paid, not before.
/// </summary>
public sealed record Standing(
    RightsStatus Status,
    YearMonth? PaidThrough,
    YearMonth? CoveredThrough,
    IReadOnlyList<OverduePeriod> Overdue)
{
    public decimal ArrearsTotal => Overdue.Sum(p => p.Total);
    public bool HasRights => Status == RightsStatus.Active;

    public static Standing On(Account account, LocalDate date, RateSchedule rates, BusinessCalendar calendar, RegimeRules rules)
    {
        var episode = account.Episodes.LastOrDefault(e => e.EnrolledOn <= date);
        if (episode is null || date < episode.FirstPeriod.FirstDay())
            return new Standing(RightsStatus.NotCovered, null, null, []);

        var paidBy = account.Paid
            .Where(p => p.Episode == episode.Number && p.PaidOn <= date)
            .Select(p => p.Period)
            .ToHashSet();
        var firstUnpaid = episode.FirstPeriod;
        while (paidBy.Contains(firstUnpaid)) firstUnpaid = firstUnpaid.Next();
        YearMonth? paidThrough = firstUnpaid == episode.FirstPeriod ? null : firstUnpaid.Previous();

        var overdue = new List<OverduePeriod>();
        for (var period = firstUnpaid; calendar.DueDate(period) < date; period = period.Next())
        {
            if (paidBy.Contains(period)) continue;
            var due = calendar.DueDate(period);
            var contribution = rates.ContributionFor(period);
            var daysLate = Surcharge.DaysLate(due, date);
            overdue.Add(new OverduePeriod(period, due, contribution, daysLate, Surcharge.RateFor(daysLate), Surcharge.On(contribution, daysLate)));
        }

        if (overdue.Count > 0 && !rules.RightsDuringArrears)
            return new Standing(RightsStatus.Arrears, paidThrough, paidThrough, overdue);

        // Nothing overdue: the month in course is covered even before its contribution is due.
        var current = Periods.PeriodOf(date);
        var coveredThrough = paidThrough is { } through && through > current ? through : current;
        return new Standing(RightsStatus.Active, paidThrough, coveredThrough, overdue);
    }
}
