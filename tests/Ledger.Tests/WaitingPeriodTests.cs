using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1 Waiting period: restricted services are covered from the first day of the 7th coverage month of the
/// episode, counting months that have elapsed with rights; advance payment does not shorten it.
/// Enrolled 2023-12-20, first period 2024-01, 68.04 a month. Due dates 2024: 01 → Wed 01-31, 02 → Thu 02-29,
/// 03 → Wed 03-27 (Holy Week), 04 → Tue 04-30, 05 → Fri 05-31, 06 → Fri 06-28, 07 → Wed 07-31, 08 → Fri 08-30.
/// </summary>
public class WaitingPeriodTests
{
    private const decimal Rate = 68.04m;
    private static readonly Regime R = Regime.Default;

    private static Account Enrolled2024() => NewAccount(Enrolled(D(2023, 12, 20), P(2024, 1)));

    /// <summary>Each period 2024-01..<paramref name="through"/> paid on the 10th of its own month (on time).</summary>
    private static Account PaidMonthlyOnTime(YearMonth through)
    {
        var account = Enrolled2024();
        for (var p = P(2024, 1); p <= through; p = p.PlusMonths(1))
            account = account.After(PaidOnTime(p.OnDayOfMonth(10), $"M{p.Month}", (p, Rate)));
        return account;
    }

    private static int Months(Account account, LocalDate date) => WaitingPeriod.MonthsWithRights(account, account.CurrentEpisode, date, R);

    private static bool Covered(Account account, LocalDate date) =>
        WaitingPeriod.RestrictedServicesCovered(account, Standing.On(account, date, R), date, R);

    [Fact]
    public void paid_every_month_on_time_restricted_services_are_covered_from_the_first_day_of_the_seventh_month()
    {
        var account = PaidMonthlyOnTime(P(2024, 12));

        // On 2024-06-30: 2024-01..05 elapsed with rights = 5 months.
        Months(account, D(2024, 6, 30)).ShouldBe(5);
        Covered(account, D(2024, 6, 30)).ShouldBeFalse();
        // On 2024-07-01: 2024-01..06 = 6 months → covered.
        Months(account, D(2024, 7, 1)).ShouldBe(6);
        Covered(account, D(2024, 7, 1)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(2024, 1, 1, 0)]  // first day of coverage
    [InlineData(2024, 1, 31, 0)] // January not over yet
    [InlineData(2024, 2, 1, 1)]
    [InlineData(2024, 3, 1, 2)]
    public void a_month_counts_once_it_is_over(int y, int m, int d, int expected) =>
        Months(PaidMonthlyOnTime(P(2024, 12)), D(y, m, d)).ShouldBe(expected);

    [Fact]
    public void paying_twelve_months_in_advance_does_not_shorten_the_waiting_period()
    {
        // 2024-01 paid on 2024-01-05, 2024-02..2024-12 in advance the same day (limit 2024-01 + 12 = 2025-01).
        var advances = new List<PeriodPayment>();
        for (var p = P(2024, 2); p <= P(2024, 12); p = p.PlusMonths(1)) advances.Add(new PeriodPayment(p, Rate, 0, 0m, 0m));
        var account = Enrolled2024().ApplyAll([
            PaidOnTime(D(2024, 1, 5), "A1", (P(2024, 1), Rate)),
            new AdvancePaid(Source(D(2024, 1, 5), "A1"), advances),
        ]);

        // On 2024-03-01: only 2024-01 and 2024-02 have elapsed → 2 months.
        Standing.On(account, D(2024, 3, 1), R).Status.ShouldBe(RightsStatus.Active);
        Months(account, D(2024, 3, 1)).ShouldBe(2);
        Covered(account, D(2024, 3, 1)).ShouldBeFalse();
        Covered(account, D(2024, 6, 30)).ShouldBeFalse();
        Covered(account, D(2024, 7, 1)).ShouldBeTrue();
    }

    /// <summary>As paid monthly, except 2024-02 paid 5 days late on 2024-03-05 (68.04 × 5 % = 3.402 → 3.40).</summary>
    private static Account FebruaryPaidLate()
    {
        var account = Enrolled2024().After(PaidOnTime(D(2024, 1, 10), "M1", (P(2024, 1), Rate)));
        account = account.After(new ContributionPaid(Source(D(2024, 3, 5), "M2"), [new PeriodPayment(P(2024, 2), Rate, 5, 0.05m, 3.40m)]));
        for (var p = P(2024, 3); p <= P(2024, 12); p = p.PlusMonths(1))
            account = account.After(PaidOnTime(p.OnDayOfMonth(10), $"M{p.Month}", (p, Rate)));
        return account;
    }

    [Fact]
    public void a_month_touched_by_arrears_does_not_count_and_pushes_the_date_by_one_month()
    {
        // 2024-02 due 02-29, paid 03-05: rights suspended 2024-03-01..2024-03-04, so March does not count.
        var account = FebruaryPaidLate();
        Standing.On(account, D(2024, 3, 4), R).Status.ShouldBe(RightsStatus.Arrears);
        Standing.On(account, D(2024, 3, 5), R).Status.ShouldBe(RightsStatus.Active);

        // February itself had rights every day: on 2024-03-01 it counts (January, February = 2).
        Months(account, D(2024, 3, 1)).ShouldBe(2);
        // On 2024-04-01: January, February (March lost) = 2.
        Months(account, D(2024, 4, 1)).ShouldBe(2);
        // On 2024-07-01: 01, 02, 04, 05, 06 = 5 → not covered; on 2024-08-01: + 07 = 6 → covered.
        Months(account, D(2024, 7, 1)).ShouldBe(5);
        Covered(account, D(2024, 7, 1)).ShouldBeFalse();
        Covered(account, D(2024, 7, 31)).ShouldBeFalse();
        Months(account, D(2024, 8, 1)).ShouldBe(6);
        Covered(account, D(2024, 8, 1)).ShouldBeTrue();
    }

    [Fact]
    public void where_the_rules_keep_rights_during_arrears_a_month_touched_by_arrears_still_counts()
    {
        var keepRights = R with { Rules = R.Rules with { RightsDuringArrears = true } };
        var account = FebruaryPaidLate();

        Standing.On(account, D(2024, 3, 4), keepRights).HasRights.ShouldBeTrue();
        // 2024-01..06 all count: covered from 2024-07-01, as if paid on time.
        WaitingPeriod.MonthsWithRights(account, account.CurrentEpisode, D(2024, 7, 1), keepRights).ShouldBe(6);
        WaitingPeriod.RestrictedServicesCovered(account, Standing.On(account, D(2024, 7, 1), keepRights), D(2024, 7, 1), keepRights).ShouldBeTrue();
    }

    [Fact]
    public void while_in_arrears_restricted_services_are_not_covered_even_after_six_months()
    {
        // Paid monthly through 2024-07 only; 2024-08 due 08-30 → on 2024-09-02 in arrears (3 days).
        var account = PaidMonthlyOnTime(P(2024, 7));
        Standing.On(account, D(2024, 9, 2), R).Status.ShouldBe(RightsStatus.Arrears);
        Covered(account, D(2024, 9, 2)).ShouldBeFalse();
        // On 2024-08-30 (its due date) 2024-08 is not overdue yet: active, 2024-01..07 = 7 months → covered.
        Covered(account, D(2024, 8, 30)).ShouldBeTrue();
    }

    [Fact]
    public void before_the_first_period_nothing_counts()
    {
        var account = PaidMonthlyOnTime(P(2024, 12));
        Standing.On(account, D(2023, 12, 31), R).Status.ShouldBe(RightsStatus.NotCovered);
        Covered(account, D(2023, 12, 31)).ShouldBeFalse();
    }

    /// <summary>
    /// The one-pass count against the rule read literally: a month counts when no period's suspension (from the day
    /// after its due date to the day before its payment, or to the date if unpaid by then) touches any of its days.
    /// Random histories of up to 15 years: periods paid on time, late by days or months, or never; many dates.
    /// </summary>
    [Fact]
    public void the_months_with_rights_equal_the_rule_read_literally_over_random_long_histories()
    {
        var rng = new Random(20261206);
        for (var round = 0; round < 300; round++)
        {
            var account = Enrolled2024();
            var periods = rng.Next(1, 180);
            for (var i = 0; i < periods; i++)
            {
                var p = P(2024, 1).PlusMonths(i);
                var due = R.Calendar.DueDate(p);
                var paidOn = rng.Next(4) switch
                {
                    0 => (LocalDate?)null,
                    1 => due.PlusDays(rng.Next(1, 20)),
                    2 => due.PlusDays(rng.Next(20, 200)),
                    _ => p.OnDayOfMonth(rng.Next(1, 28)),
                };
                if (paidOn is { } on)
                    account = account.After(PaidOnTime(on, $"R{round}-{i}", (p, Rate)));
            }
            for (var probe = 0; probe < 5; probe++)
            {
                var date = D(2024, 1, 1).PlusDays(rng.Next(0, 16 * 366));
                Months(account, date).ShouldBe(LiterallyCounted(account, date), $"round {round}, on {date}");
            }
        }
    }

    private static int LiterallyCounted(Account account, LocalDate date)
    {
        var episode = account.CurrentEpisode;
        var paid = account.PaidIn(episode).ToDictionary(p => p.Period, p => p.PaidOn);
        var count = 0;
        for (var m = episode.FirstPeriod; m.OnDayOfMonth(1) < D(date.Year, date.Month, 1); m = m.PlusMonths(1))
        {
            var touched = false;
            for (var p = episode.FirstPeriod; R.Calendar.DueDate(p) < date; p = p.PlusMonths(1))
            {
                var from = R.Calendar.DueDate(p).PlusDays(1);
                var until = paid.TryGetValue(p, out var on) ? on.PlusDays(-1) : date;
                for (var day = m.OnDayOfMonth(1); day.Month == m.Month && !touched; day = day.PlusDays(1))
                    touched = from <= day && day <= until;
            }
            if (!touched)
                count++;
        }
        return count;
    }
}
