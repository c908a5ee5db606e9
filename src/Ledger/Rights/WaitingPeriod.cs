using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Rights;

/// <summary>
/// The waiting period (carencia): restricted services are covered from the first day of the 7th coverage
/// month of the episode, counting only months that have elapsed with rights. Paying in advance does not
/// shorten it (a month counts once it is over), and a month touched by arrears does not count (unless the
/// rules keep rights during arrears).
/// </summary>
public static class WaitingPeriod
{
    public const int Months = 6;

    /// <summary>Whole months of the episode, before the month of <paramref name="date"/>, held with rights every
    /// day.</summary>
    public static int MonthsWithRights(Account account, Episode episode, LocalDate date, Regime regime)
    {
        var paidOn = account.PaidIn(episode).ToDictionary(p => p.Period, p => p.PaidOn);
        // Each period paid late, or not paid by the date, suspended rights from the day after its due date
        // until the day before it was paid.
        // Where the rules keep rights during arrears (RightsDuringArrears), nothing is suspended.
        var suspensions = new List<(LocalDate From, LocalDate Until)>();
        for (
            var p = episode.FirstPeriod;
            !regime.Rules.RightsDuringArrears && regime.Calendar.DueDate(p) < date;
            p = p.Next()
        )
        {
            var from = regime.Calendar.DueDate(p).PlusDays(1);
            var until = paidOn.TryGetValue(p, out var on) ? on.PlusDays(-1) : date;
            if (until >= from)
                suspensions.Add((from, until));
        }

        // A month counts when no suspension touches it. The suspensions come in period order, so their starts
        // rise: the ones that began by a month's last day are a prefix, and one of them touches the month exactly
        // when the latest end among them reaches its first day. One pass, however long the history (30 years of
        // late payments were 360 × 360 comparisons).
        var count = 0;
        var started = 0;
        LocalDate? latestEnd = null;
        for (var m = episode.FirstPeriod; m < Periods.PeriodOf(date); m = m.Next())
        {
            var (first, last) = (m.FirstDay(), m.LastDay());
            for (; started < suspensions.Count && suspensions[started].From <= last; started++)
                if (latestEnd is null || suspensions[started].Until > latestEnd)
                    latestEnd = suspensions[started].Until;
            if (latestEnd is not { } end || end < first)
                count++;
        }
        return count;
    }

    public static bool RestrictedServicesCovered(Account account, Standing standing, LocalDate date, Regime regime) =>
        standing is { HasRights: true, Episode: { } episode }
        && MonthsWithRights(account, episode, date, regime) >= Months;
}
