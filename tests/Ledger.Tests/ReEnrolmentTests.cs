using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Enrolment;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;
using EnrolmentRules = Salex.Ledger.Enrolment.Enrolment;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1 Enrolment: one stream for life; a person whose coverage ended may enrol again on the same stream,
/// as a new coverage episode, which restarts the waiting period.
/// </summary>
public class ReEnrolmentTests
{
    private const decimal Rate = 68.04m;
    private static readonly Regime R = Regime.Default;

    private static Enrol Command(LocalDate enrolledOn, YearMonth? firstPeriod = null) => new(
        "04567890-3", "Ana María López", D(1985, 6, 2), "US", "ana@example.com",
        enrolledOn, firstPeriod, new EligibilityChecks(true, true, true), []);

    /// <summary>Enrolled 2018-01-10, 2018-02 paid on time; 03, 04, 05 unpaid → lapse 2018-06-01 (05 due Thu 05-31), covered through 2018-02.</summary>
    private static Account LapsedIn2018() => Enrolled2018().After(PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m)));

    /// <summary>Enrolled 2023-12-20, first period 2024-01, 2024-01..<paramref name="through"/> paid on 2024-01-10.</summary>
    private static Account PaidIn2024Through(YearMonth through)
    {
        var advances = new List<PeriodPayment>();
        for (var p = P(2024, 2); p <= through; p = p.PlusMonths(1)) advances.Add(new PeriodPayment(p, Rate, 0, 0m, 0m));
        var account = NewAccount(Enrolled(D(2023, 12, 20), P(2024, 1))).After(PaidOnTime(D(2024, 1, 10), "R1", (P(2024, 1), Rate)));
        return advances.Count == 0 ? account : account.After(new AdvancePaid(Source(D(2024, 1, 10), "R1"), advances));
    }

    [Fact]
    public void a_person_whose_episode_lapsed_may_enrol_again()
    {
        EnrolmentRules.Check(Command(D(2018, 7, 15)), LapsedIn2018(), D(2018, 7, 15), R).ShouldBeEmpty();
    }

    [Fact]
    public void on_the_lapse_day_itself_the_person_may_enrol_again()
    {
        EnrolmentRules.Check(Command(D(2018, 6, 1)), LapsedIn2018(), D(2018, 6, 1), R).ShouldBeEmpty();
    }

    [Fact]
    public void while_the_episode_is_open_a_new_enrolment_is_a_conflict()
    {
        // 2018-05-31 is the last day before the lapse.
        var refusal = EnrolmentRules.Check(Command(D(2018, 5, 31)), LapsedIn2018(), D(2018, 5, 31), R).ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Conflict);
        refusal.Field.ShouldBe("dui");
        refusal.Reason.ShouldContain("100000017");
    }

    [Fact]
    public void an_account_paid_and_open_is_a_conflict()
    {
        var refusal = EnrolmentRules.Check(Command(D(2024, 5, 10)), PaidIn2024Through(P(2024, 12)), D(2024, 5, 10), R).ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Conflict);
    }

    [Fact]
    public void decide_records_the_lapse_first_when_the_sweep_has_not_run()
    {
        var events = EnrolmentRules.Decide(Command(D(2018, 7, 15)), LapsedIn2018(), "100000017", R);

        events.Count.ShouldBe(2);
        events[0].ShouldBe(new Lapsed(D(2018, 6, 1), LapseReason.NonPayment, P(2018, 2)));
        var enrolled = events[1].ShouldBeOfType<Enrolled>();
        enrolled.AffiliationNumber.ShouldBe("100000017");
        enrolled.EnrolledOn.ShouldBe(D(2018, 7, 15));
        enrolled.FirstPeriod.ShouldBe(P(2018, 8));
    }

    [Fact]
    public void decide_records_only_the_enrolment_when_the_lapse_is_recorded()
    {
        var recorded = LapsedIn2018().After(new Lapsed(D(2018, 6, 1), LapseReason.NonPayment, P(2018, 2)));

        EnrolmentRules.Check(Command(D(2018, 7, 15)), recorded, D(2018, 7, 15), R).ShouldBeEmpty();
        var events = EnrolmentRules.Decide(Command(D(2018, 7, 15)), recorded, "100000017", R);
        events.ShouldHaveSingleItem().ShouldBeOfType<Enrolled>().FirstPeriod.ShouldBe(P(2018, 8));
    }

    [Fact]
    public void the_new_episode_opens_on_the_same_stream()
    {
        var account = LapsedIn2018().ApplyAll(EnrolmentRules.Decide(Command(D(2018, 7, 15)), LapsedIn2018(), "100000017", R));

        account.Id.ShouldBe("100000017");
        account.Episodes.Count.ShouldBe(2);
        account.EpisodeOpen.ShouldBeTrue();
        account.Episodes[0].EndedOn.ShouldBe(D(2018, 6, 1));
        account.CurrentEpisode.Number.ShouldBe(2);
        account.CurrentEpisode.FirstPeriod.ShouldBe(P(2018, 8));
        account.PaidThrough.ShouldBeNull();              // nothing paid in the new episode yet
        account.NextUnpaidPeriod.ShouldBe(P(2018, 8));

        // Between the episodes the person is lapsed; from 2018-08-01 the new one covers the month in course.
        Standing.On(account, D(2018, 7, 20), R).Status.ShouldBe(RightsStatus.Lapsed);
        Standing.On(account, D(2018, 5, 31), R).Status.ShouldBe(RightsStatus.Arrears); // the first episode's past is unchanged
        var standing = Standing.On(account, D(2018, 8, 1), R);
        standing.Status.ShouldBe(RightsStatus.Active);
        standing.Episode.ShouldNotBeNull().Number.ShouldBe(2);
    }

    [Fact]
    public void the_first_period_of_the_new_episode_must_be_after_the_last_covered_period()
    {
        // Withdrawal effective 2024-05-15 with 2024-01..08 paid: last covered 2024-05.
        var before = PaidIn2024Through(P(2024, 8));
        var (refusals, events) = EpisodeChanges.Withdraw(before, D(2024, 5, 15), D(2024, 5, 15), R);
        refusals.ShouldBeEmpty();
        var withdrawn = before.ApplyAll(events);

        var refusal = EnrolmentRules.Check(Command(D(2024, 5, 20), P(2024, 5)), withdrawn, D(2024, 5, 20), R).ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("firstPeriod");

        // 2024-06, the default (month after 2024-05-20), is the first allowed.
        EnrolmentRules.Check(Command(D(2024, 5, 20)), withdrawn, D(2024, 5, 20), R).ShouldBeEmpty();
        EnrolmentRules.Check(Command(D(2024, 5, 20), P(2024, 6)), withdrawn, D(2024, 5, 20), R).ShouldBeEmpty();
    }

    [Fact]
    public void after_a_return_window_the_new_episode_starts_after_its_last_month()
    {
        // Returned 2024-03-10, paid through 2024-09: window ends 2024-09-10, lapse 2024-09-11, last covered 2024-09.
        var before = PaidIn2024Through(P(2024, 9));
        var (_, events) = EpisodeChanges.Return(before, D(2024, 3, 10), D(2024, 3, 10), R);
        var returned = before.ApplyAll(events);

        EnrolmentRules.Check(Command(D(2024, 9, 20), P(2024, 9)), returned, D(2024, 9, 20), R)
            .ShouldHaveSingleItem().Field.ShouldBe("firstPeriod");
        EnrolmentRules.Check(Command(D(2024, 9, 20)), returned, D(2024, 9, 20), R).ShouldBeEmpty();
        EnrolmentRules.Decide(Command(D(2024, 9, 20)), returned, "100000017", R)[0]
            .ShouldBe(new Lapsed(D(2024, 9, 11), LapseReason.ReturnWindowExpired, P(2024, 9)));
    }

    [Fact]
    public void the_new_episode_restarts_the_waiting_period()
    {
        // First episode: 2024-01..08 paid; on 2024-08-15, 2024-01..07 = 7 months → restricted services covered.
        var first = PaidIn2024Through(P(2024, 8));
        WaitingPeriod.RestrictedServicesCovered(first, Standing.On(first, D(2024, 8, 15), R), D(2024, 8, 15), R).ShouldBeTrue();

        // Withdrawal effective 2024-09-01 (last covered 2024-08), enrols again 2024-09-10 → first period 2024-10.
        var (refusals, withdrawal) = EpisodeChanges.Withdraw(first, D(2024, 9, 1), D(2024, 9, 1), R);
        refusals.ShouldBeEmpty();
        var ended = first.ApplyAll(withdrawal);
        EnrolmentRules.Check(Command(D(2024, 9, 10)), ended, D(2024, 9, 10), R).ShouldBeEmpty();
        var account = ended.ApplyAll(EnrolmentRules.Decide(Command(D(2024, 9, 10)), ended, "100000017", R));
        account.CurrentEpisode.FirstPeriod.ShouldBe(P(2024, 10));

        // New episode: 2024-10..2025-04 paid monthly on the 10th (on time: 10th is never after a due date).
        for (var p = P(2024, 10); p <= P(2025, 4); p = p.PlusMonths(1))
            account = account.After(PaidOnTime(p.OnDayOfMonth(10), $"N{p.Year}{p.Month}", (p, Rate)));

        bool Covered(LocalDate date) => WaitingPeriod.RestrictedServicesCovered(account, Standing.On(account, date, R), date, R);

        // On 2024-10-15: active in the new episode, 0 months elapsed → not covered.
        Standing.On(account, D(2024, 10, 15), R).Status.ShouldBe(RightsStatus.Active);
        WaitingPeriod.MonthsWithRights(account, account.CurrentEpisode, D(2024, 10, 15), R).ShouldBe(0);
        Covered(D(2024, 10, 15)).ShouldBeFalse();
        // 2024-10..2025-03 = 6 months: not on 2025-03-31, yes on 2025-04-01.
        Covered(D(2025, 3, 31)).ShouldBeFalse();
        WaitingPeriod.MonthsWithRights(account, account.CurrentEpisode, D(2025, 4, 1), R).ShouldBe(6);
        Covered(D(2025, 4, 1)).ShouldBeTrue();
    }
}
