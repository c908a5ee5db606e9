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
    /// day; counted no further than <paramref name="enough"/> when given (the count only grows month by month, so a
    /// question of "at least N" stops at N instead of walking a long history to its end).</summary>
    public static int MonthsWithRights(
        Account account,
        Episode episode,
        LocalDate date,
        Regime regime,
        int enough = int.MaxValue
    )
    {
        var paidOn = PaidOnByMonth.Of(account, episode);
        // Each period paid late, or not paid by the date, suspended rights from the day after its due date until the
        // day before it was paid. Where the rules keep rights during arrears (RightsDuringArrears), nothing is
        // suspended.
        // A month counts when no suspension touches it. Suspensions come in period order, so their starts rise: the
        // ones that began by a month's last day are the periods due before it, and one of them touches the month
        // exactly when the latest end among them reaches its first day. One pass, however long the history (30 years
        // of late payments were 360 × 360 comparisons), and nothing kept but that latest end.
        var count = 0;
        var next = episode.FirstPeriod; // the next period whose suspension, if any, is not counted yet
        LocalDate? latestEnd = null;
        var thisMonth = Periods.PeriodOf(date);
        for (var m = episode.FirstPeriod; m < thisMonth; m = m.Next())
        {
            var (first, last) = (m.FirstDay(), m.LastDay());
            for (
                ;
                !regime.Rules.RightsDuringArrears
                    && regime.Calendar.DueDate(next) is var due
                    && due < date
                    && due.PlusDays(1) <= last;
                next = next.Next()
            )
            {
                var until = paidOn.TryGet(next, out var on) ? on.PlusDays(-1) : date;
                if (until >= due.PlusDays(1) && (latestEnd is null || until > latestEnd))
                    latestEnd = until;
            }
            if ((latestEnd is not { } end || end < first) && ++count == enough)
                break;
        }
        return count;
    }

    public static bool RestrictedServicesCovered(Account account, Standing standing, LocalDate date, Regime regime) =>
        standing is { HasRights: true, Episode: { } episode }
        && MonthsWithRights(account, episode, date, regime, enough: Months) >= Months;
}
