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

        var count = 0;
        for (var m = episode.FirstPeriod; m < Periods.PeriodOf(date); m = m.Next())
        {
            var (first, last) = (m.FirstDay(), m.LastDay());
            if (!suspensions.Any(s => s.From <= last && s.Until >= first))
                count++;
        }
        return count;
    }

    public static bool RestrictedServicesCovered(Account account, Standing standing, LocalDate date, Regime regime) =>
        standing is { HasRights: true, Episode: { } episode }
        && MonthsWithRights(account, episode, date, regime) >= Months;
}
