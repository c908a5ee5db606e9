using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

public static class PaymentAllocator
{
    /// <summary>The last period payable on a date: the payment's month plus the advance limit.</summary>
    public static YearMonth LastPayablePeriod(LocalDate paidOn, RegimeRules rules) =>
        Periods.PeriodOf(paidOn).PlusMonths(rules.AdvanceMonths);

    /// <summary>
    /// The last period money paid on a date can pay on an episode: the advance limit, and never past the last
    /// period the episode can cover as the ledger knows it now (<see cref="Account.LastCoverablePeriod"/>: a return
    /// window, a withdrawal, a later episode), whatever the payment's date: money recorded after a return or
    /// withdrawal buys no month without coverage, and money of an earlier episode no month of a later one.
    /// </summary>
    public static YearMonth LastPayablePeriod(Account account, Episode episode, LocalDate paidOn, RegimeRules rules)
    {
        var limit = LastPayablePeriod(paidOn, rules);
        return account.LastCoverablePeriod(episode) is { } bound && bound < limit ? bound : limit;
    }

    /// <summary>
    /// Spends <paramref name="amount"/> plus any credit already on the account on whole periods of the current
    /// episode from the oldest unpaid one, never past the advance limit.
    /// </summary>
    public static PaymentAllocation Allocate(
        Account account,
        PaymentSource source,
        decimal amount,
        RateSchedule rates,
        BusinessCalendar calendar,
        RegimeRules rules
    ) => Allocate(account, account.CurrentEpisode, source, amount, rates, calendar, rules);

    /// <summary>
    /// Spends <paramref name="amount"/> plus any credit already on the account on whole periods of <paramref
    /// name="episode"/> from its oldest unpaid one, never past the last period payable on the payment date.
    /// </summary>
    public static PaymentAllocation Allocate(
        Account account,
        Episode episode,
        PaymentSource source,
        decimal amount,
        RateSchedule rates,
        BusinessCalendar calendar,
        RegimeRules rules
    )
    {
        var paymentMonth = Periods.PeriodOf(source.PaidOn);
        var lastPayable = LastPayablePeriod(account, episode, source.PaidOn, rules);
        var available = amount + account.Credit;
        var contributions = new List<PeriodPayment>();
        var advances = new List<PeriodPayment>();

        var period = account.NextUnpaidPeriodIn(episode);
        var stoppedAtLimit = false;
        for (; ; period = period.Next())
        {
            var owed = PeriodPaidOn(period, source.PaidOn, rates, calendar);
            if (owed.Total > available)
                break;
            if (period > lastPayable)
            {
                // The money left would pay this period in full, but it lies past the limit.
                stoppedAtLimit = true;
                break;
            }
            (period <= paymentMonth ? contributions : advances).Add(owed);
            available -= owed.Total;
        }

        // Credit on the account is spent before the new money; what is left of the new money is the remainder.
        var spent = contributions.Concat(advances).Sum(p => p.Total);
        var creditApplied = Math.Min(account.Credit, spent);
        var remainder = amount - (spent - creditApplied);
        return new PaymentAllocation(
            source,
            amount,
            creditApplied,
            contributions,
            advances,
            remainder,
            stoppedAtLimit,
            lastPayable
        )
        {
            Episode = episode.Number == account.CurrentEpisode.Number ? null : episode.Number,
        };
    }

    /// <summary>What a period costs when paid on a given date: its contribution and its surcharge.</summary>
    public static PeriodPayment PeriodPaidOn(
        YearMonth period,
        LocalDate paidOn,
        RateSchedule rates,
        BusinessCalendar calendar
    )
    {
        var contribution = rates.ContributionFor(period);
        var daysLate = Surcharge.DaysLate(calendar.DueDate(period), paidOn);
        return new PeriodPayment(
            period,
            contribution,
            daysLate,
            Surcharge.RateFor(daysLate),
            Surcharge.On(contribution, daysLate)
        );
    }
}
