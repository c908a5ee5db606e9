using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Rights;

/// <summary>When and why an episode ends: recorded, or due by the rules even if the sweep has not run yet.</summary>
public sealed record EpisodeEnd(LocalDate EffectiveOn, LapseReason Reason, YearMonth? LastCoveredPeriod)
{
    /// <summary>
    /// The end of an episode as known on <paramref name="date"/>: the recorded one; else a lapse for
    /// non-payment (the day after the due date of the N-th consecutive overdue unpaid period); else the
    /// end of a return window. Null while the episode is open on that date.
    /// </summary>
    public static EpisodeEnd? On(Account account, Episode episode, LocalDate date, Regime regime)
    {
        if (Recorded(account, episode) is { } recorded && recorded.EffectiveOn <= date)
            return recorded;
        var lapse = NonPaymentLapse(account, episode, date, regime);
        var windowEnd =
            episode.CoveredUntil is { } until && until < date
                ? new EpisodeEnd(
                    until.PlusDays(1),
                    LapseReason.ReturnWindowExpired,
                    LastPaidThrough(account, episode, Periods.PeriodOf(until))
                )
                : null;
        if (lapse is null)
            return windowEnd;
        if (windowEnd is null)
            return lapse;
        return lapse.EffectiveOn <= windowEnd.EffectiveOn ? lapse : windowEnd;
    }

    /// <summary>
    /// The recorded end of an episode (its <see cref="Lapsed"/>), null while none is recorded. Its last covered period
    /// is computed from the money as it stands, not copied from the event: the one definition that the rights answer
    /// and the account summary's episodes both read.
    /// </summary>
    public static EpisodeEnd? Recorded(Account account, Episode episode) =>
        episode.EndedOn is { } ended
            ? new EpisodeEnd(
                ended,
                episode.EndReason ?? LapseReason.NonPayment,
                RecordedLastCovered(account, episode, ended)
            )
            : null;

    /// <summary>
    /// The first lapse for non-payment on or before <paramref name="date"/>. The first time N consecutive
    /// periods are overdue and unpaid is the day after the due date of the N-th one; the period before the
    /// first of them is then necessarily paid (or there is none), and coverage ends with it.
    /// </summary>
    public static EpisodeEnd? NonPaymentLapse(Account account, Episode episode, LocalDate date, Regime regime)
    {
        var n = regime.Rules.LapseAfterUnpaidPeriods;
        if (n <= 0)
            return null;
        var paidOn = PaidOnByMonth.Of(account, episode);
        var last = Periods.PeriodOf(date);
        for (var p = episode.FirstPeriod.PlusMonths(n - 1); p <= last; p = p.Next())
        {
            var lapseOn = regime.Calendar.DueDate(p).PlusDays(1);
            if (lapseOn > date)
                break;
            if (episode.CoveredUntil is { } until && lapseOn > until.PlusDays(1))
                break;
            var allUnpaid = true;
            for (var q = p.PlusMonths(1 - n); q <= p && allUnpaid; q = q.Next())
                allUnpaid = !paidOn.TryGet(q, out var on) || on > lapseOn; // money paid on the day itself still counts
            if (!allUnpaid)
                continue;
            var before = p.PlusMonths(-n);
            return new EpisodeEnd(lapseOn, LapseReason.NonPayment, before >= episode.FirstPeriod ? before : null);
        }
        return null;
    }

    /// <summary>
    /// The last covered period of a recorded end, from the money as it stands now rather than as it stood when
    /// the end was recorded: money paid before a withdrawal may be recorded after it. A lapse for non-payment
    /// keeps its own (money that predates it and pays a period annuls it instead).
    /// </summary>
    private static YearMonth? RecordedLastCovered(Account account, Episode episode, LocalDate endedOn) =>
        episode.EndReason switch
        {
            LapseReason.Withdrawal => LastPaidThrough(account, episode, Periods.PeriodOf(endedOn.PlusDays(-1))),
            LapseReason.ReturnWindowExpired when episode.CoveredUntil is { } until => LastPaidThrough(
                account,
                episode,
                Periods.PeriodOf(until)
            ),
            _ => episode.LastCoveredPeriod,
        };

    private static YearMonth? LastPaidThrough(Account account, Episode episode, YearMonth bound)
    {
        YearMonth? last = null;
        foreach (var p in account.PaidIn(episode))
            if (p.Period <= bound && (last is null || p.Period > last))
                last = p.Period;
        return last;
    }
}
