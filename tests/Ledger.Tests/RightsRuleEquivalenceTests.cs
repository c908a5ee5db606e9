using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// The waiting period's count and the lapse for non-payment are computed in one pass over an array of paid days
/// (<see cref="PaidOnByMonth"/>) for speed. Here they are held equal, on random histories (on time, late, unpaid
/// months, a month paid before the one before it, up to 25 years), to the rules written the plain way: every
/// suspension against every month, and every run of unpaid periods looked up one by one.
/// </summary>
public class RightsRuleEquivalenceTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void the_one_pass_rules_equal_the_plain_definitions_on_random_histories(int seed, bool rightsDuringArrears)
    {
        var regime = Regime.Default with { Rules = Regime.Default.Rules with { RightsDuringArrears = rightsDuringArrears } };
        var rng = new Random(seed);
        var checkedDates = 0;
        for (var n = 0; n < 300; n++)
        {
            var enrolledOn = new LocalDate(2000, 1, 1).PlusDays(rng.Next(0, 365 * 20));
            var first = Periods.PeriodOf(enrolledOn).Next();
            var account = NewAccount(Enrolled(enrolledOn, first));
            var months = rng.Next(0, 300);
            for (var i = 0; i < months; i++)
            {
                var period = first.PlusMonths(i);
                var due = regime.Calendar.DueDate(period);
                var paidOn = rng.Next(10) switch
                {
                    < 6 => period.FirstDay().PlusDays(rng.Next(0, 28)), // on time
                    < 8 => due.PlusDays(rng.Next(1, 120)), // late
                    8 => period.FirstDay().PlusDays(-rng.Next(1, 300)), // in advance
                    _ => (LocalDate?)null, // never paid
                };
                if (paidOn is { } on)
                    account = account.After(PaidOnTime(on, $"R{n}-{i}", (period, 40m)));
            }
            for (var d = 0; d < 8; d++)
            {
                var date = enrolledOn.PlusDays(rng.Next(-30, months * 31 + 400));
                var episode = account.CurrentEpisode;
                var plain = PlainMonthsWithRights(account, episode, date, regime);
                WaitingPeriod.MonthsWithRights(account, episode, date, regime).ShouldBe(plain, $"history {n}, {date}");
                WaitingPeriod.MonthsWithRights(account, episode, date, regime, enough: WaitingPeriod.Months)
                    .ShouldBe(Math.Min(plain, WaitingPeriod.Months), $"history {n}, {date}, counted up to the waiting period");
                EpisodeEnd.NonPaymentLapse(account, episode, date, regime)
                    .ShouldBe(PlainNonPaymentLapse(account, episode, date, regime), $"history {n}, {date}");
                checkedDates++;
            }
        }
        checkedDates.ShouldBe(2400);
    }

    /// <summary>SPEC §1's waiting period read literally: a month before the date's counts when no period's suspension
    /// (from the day after its due date, if due before the date, to the day before it was paid or to the date)
    /// touches any of its days.</summary>
    private static int PlainMonthsWithRights(Account account, Episode episode, LocalDate date, Regime regime)
    {
        var paid = account.PaidIn(episode).ToDictionary(p => p.Period, p => p.PaidOn);
        var suspensions = new List<(LocalDate From, LocalDate Until)>();
        for (var p = episode.FirstPeriod; !regime.Rules.RightsDuringArrears && regime.Calendar.DueDate(p) < date; p = p.Next())
        {
            var from = regime.Calendar.DueDate(p).PlusDays(1);
            var until = paid.TryGetValue(p, out var on) ? on.PlusDays(-1) : date;
            if (until >= from)
                suspensions.Add((from, until));
        }
        var count = 0;
        for (var m = episode.FirstPeriod; m < Periods.PeriodOf(date); m = m.Next())
            if (!suspensions.Any(s => s.From <= m.LastDay() && s.Until >= m.FirstDay()))
                count++;
        return count;
    }

    /// <summary>The first day after the due date of the N-th of N consecutive periods unpaid by then.</summary>
    private static EpisodeEnd? PlainNonPaymentLapse(Account account, Episode episode, LocalDate date, Regime regime)
    {
        var n = regime.Rules.LapseAfterUnpaidPeriods;
        var paid = account.PaidIn(episode).ToDictionary(p => p.Period, p => p.PaidOn);
        for (var p = episode.FirstPeriod.PlusMonths(n - 1); p <= Periods.PeriodOf(date); p = p.Next())
        {
            var lapseOn = regime.Calendar.DueDate(p).PlusDays(1);
            if (lapseOn > date)
                break;
            var unpaid = Enumerable.Range(0, n)
                .Select(k => p.PlusMonths(-k))
                .All(q => !paid.TryGetValue(q, out var on) || on > lapseOn);
            if (unpaid)
            {
                var before = p.PlusMonths(-n);
                return new EpisodeEnd(lapseOn, LapseReason.NonPayment, before >= episode.FirstPeriod ? before : null);
            }
        }
        return null;
    }
}
