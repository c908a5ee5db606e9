using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1 Late payment: after 3 consecutive overdue unpaid periods the episode lapses, on the day after the
/// due date of the third one, whether or not the sweep has recorded it.
/// Enrolled 2018-01-10, first period 2018-02. Due dates (last business day):
/// 2018-02 → Wed 2018-02-28; 2018-03 → Wed 2018-03-28 (29–31 are Holy Week); 2018-04 → Mon 2018-04-30;
/// 2018-05 → Thu 2018-05-31.
/// </summary>
public class LapseTests
{
    private static Regime WithLapseAfter(int periods) => Regime.Default with { Rules = Rules with { LapseAfterUnpaidPeriods = periods } };

    private static Standing On(Account account, LocalDate date, Regime? regime = null) => Standing.On(account, date, regime ?? Regime.Default);

    private static EpisodeEnd? EndOn(Account account, LocalDate date, Regime? regime = null) =>
        EpisodeEnd.On(account, account.CurrentEpisode, date, regime ?? Regime.Default);

    /// <summary>2018-02 paid on time on 2018-02-20.</summary>
    private static Account FebruaryPaid() => Enrolled2018().ApplyAll([PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m))]);

    private static RecordPayment Payment(LocalDate paidOn, decimal amount) => new(paidOn, amount, "AGRICOLA", "000777001", Channel.Online);

    [Fact]
    public void on_the_due_date_of_the_third_unpaid_period_the_account_is_still_in_arrears()
    {
        // On 2018-04-30, nothing paid: 2018-04 is due that day, not overdue yet.
        // 2018-02 due 02-28 → 31 (March) + 30 (April) = 61 days → 10 % → 55.92 × 0.10 = 5.592 → 5.59 → 61.51
        // 2018-03 due 03-28 → 3 (29..31 March) + 30 = 33 days → 10 % → 5.59 → 61.51
        // total 61.51 + 61.51 = 123.02
        var standing = On(Enrolled2018(), D(2018, 4, 30));

        standing.Status.ShouldBe(RightsStatus.Arrears);
        standing.End.ShouldBeNull();
        standing.Overdue.Select(o => (o.Period, o.DueDate, o.DaysLate, o.Surcharge, o.Total)).ShouldBe([
            (P(2018, 2), D(2018, 2, 28), 61, 5.59m, 61.51m),
            (P(2018, 3), D(2018, 3, 28), 33, 5.59m, 61.51m),
        ]);
        standing.ArrearsTotal.ShouldBe(123.02m);
        EndOn(Enrolled2018(), D(2018, 4, 30)).ShouldBeNull();
    }

    [Fact]
    public void the_day_after_the_due_date_of_the_third_unpaid_period_the_episode_has_lapsed_with_nothing_covered()
    {
        var standing = On(Enrolled2018(), D(2018, 5, 1));

        standing.Status.ShouldBe(RightsStatus.Lapsed);
        standing.HasRights.ShouldBeFalse();
        standing.Overdue.ShouldBeEmpty(); // the overdue periods are not owed any more
        standing.ArrearsTotal.ShouldBe(0m);
        standing.PaidThrough.ShouldBeNull();
        standing.CoveredThrough.ShouldBeNull();
        var end = standing.End.ShouldNotBeNull();
        end.EffectiveOn.ShouldBe(D(2018, 5, 1));
        end.Reason.ShouldBe(LapseReason.NonPayment);
        end.LastCoveredPeriod.ShouldBeNull();
    }

    [Fact]
    public void the_lapse_is_computed_on_any_later_date_without_the_sweep_having_run()
    {
        // Asked a year later, the lapse is still the one of 2018-05-01 (the first time three were overdue).
        var end = EndOn(Enrolled2018(), D(2019, 5, 1)).ShouldNotBeNull();
        end.EffectiveOn.ShouldBe(D(2018, 5, 1));
        end.Reason.ShouldBe(LapseReason.NonPayment);
        On(Enrolled2018(), D(2019, 5, 1)).Status.ShouldBe(RightsStatus.Lapsed);
    }

    [Fact]
    public void with_the_first_period_paid_the_lapse_is_the_day_after_the_due_date_of_the_fifth_month()
    {
        // 2018-02 paid; 2018-03, 2018-04, 2018-05 unpaid; 2018-05 due Thu 2018-05-31 → lapse 2018-06-01.
        var account = FebruaryPaid();

        var lastDay = On(account, D(2018, 5, 31));
        lastDay.Status.ShouldBe(RightsStatus.Arrears);
        lastDay.Overdue.Select(o => o.Period).ShouldBe([P(2018, 3), P(2018, 4)]);

        var standing = On(account, D(2018, 6, 1));
        standing.Status.ShouldBe(RightsStatus.Lapsed);
        standing.Overdue.ShouldBeEmpty();
        standing.PaidThrough.ShouldBe(P(2018, 2));
        standing.CoveredThrough.ShouldBe(P(2018, 2));
        var end = standing.End.ShouldNotBeNull();
        end.EffectiveOn.ShouldBe(D(2018, 6, 1));
        end.Reason.ShouldBe(LapseReason.NonPayment);
        end.LastCoveredPeriod.ShouldBe(P(2018, 2));
    }

    [Fact]
    public void money_paid_on_the_lapse_day_itself_avoids_the_lapse()
    {
        // 2018-02 paid on 2018-05-01: 62 days after 02-28 → 10 % → 5.59. Money paid on a date counts for that date.
        var account = Enrolled2018().ApplyAll([
            new ContributionPaid(Source(D(2018, 5, 1)), [new PeriodPayment(P(2018, 2), 55.92m, 62, 0.10m, 5.59m)]),
        ]);

        EndOn(account, D(2018, 5, 1)).ShouldBeNull();
        var standing = On(account, D(2018, 5, 1));
        standing.Status.ShouldBe(RightsStatus.Arrears); // 2018-03 and 2018-04 still overdue
        standing.Overdue.Select(o => o.Period).ShouldBe([P(2018, 3), P(2018, 4)]);

        // Nothing more paid: 2018-03, 04, 05 are the next three → lapse the day after 2018-05-31, covered through 2018-02.
        var end = EndOn(account, D(2018, 6, 1)).ShouldNotBeNull();
        end.EffectiveOn.ShouldBe(D(2018, 6, 1));
        end.LastCoveredPeriod.ShouldBe(P(2018, 2));
    }

    [Fact]
    public void money_paid_the_day_before_the_lapse_avoids_it()
    {
        // 2018-02 paid on 2018-04-30: 61 days → 5.59.
        var account = Enrolled2018().ApplyAll([
            new ContributionPaid(Source(D(2018, 4, 30)), [new PeriodPayment(P(2018, 2), 55.92m, 61, 0.10m, 5.59m)]),
        ]);
        EndOn(account, D(2018, 5, 1)).ShouldBeNull();
        On(account, D(2018, 5, 1)).Status.ShouldBe(RightsStatus.Arrears);
    }

    [Fact]
    public void money_paid_the_day_after_the_lapse_does_not_undo_it()
    {
        // 2018-02 paid on 2018-05-02 (63 days, 5.59): too late, the episode lapsed on 2018-05-01.
        var account = Enrolled2018().ApplyAll([
            new ContributionPaid(Source(D(2018, 5, 2)), [new PeriodPayment(P(2018, 2), 55.92m, 63, 0.10m, 5.59m)]),
        ]);
        var end = EndOn(account, D(2018, 5, 2)).ShouldNotBeNull();
        end.EffectiveOn.ShouldBe(D(2018, 5, 1));
        end.LastCoveredPeriod.ShouldBeNull();
        On(account, D(2018, 5, 2)).Status.ShouldBe(RightsStatus.Lapsed);
    }

    [Fact]
    public void with_the_setting_at_two_periods_the_lapse_is_the_day_after_the_second_due_date()
    {
        // Nothing paid: 2018-02 (due 02-28) and 2018-03 (due 03-28) → lapse 2018-03-29.
        var regime = WithLapseAfter(2);

        On(Enrolled2018(), D(2018, 3, 28), regime).Status.ShouldBe(RightsStatus.Arrears);
        var standing = On(Enrolled2018(), D(2018, 3, 29), regime);
        standing.Status.ShouldBe(RightsStatus.Lapsed);
        var end = standing.End.ShouldNotBeNull();
        end.EffectiveOn.ShouldBe(D(2018, 3, 29));
        end.LastCoveredPeriod.ShouldBeNull();

        // 2018-02 paid: 2018-03 and 2018-04 (due 04-30) → lapse 2018-05-01, covered through 2018-02.
        var paid = EndOn(FebruaryPaid(), D(2018, 5, 1), regime).ShouldNotBeNull();
        paid.EffectiveOn.ShouldBe(D(2018, 5, 1));
        paid.LastCoveredPeriod.ShouldBe(P(2018, 2));
        EndOn(FebruaryPaid(), D(2018, 4, 30), regime).ShouldBeNull();
    }

    [Fact]
    public void the_sweep_returns_the_lapse_once_and_nothing_after_it_is_recorded()
    {
        var account = FebruaryPaid();

        EpisodeChanges.Sweep(account, D(2018, 5, 31), Regime.Default).ShouldBeNull();

        var lapsed = EpisodeChanges.Sweep(account, D(2018, 6, 1), Regime.Default).ShouldNotBeNull();
        lapsed.ShouldBe(new Lapsed(D(2018, 6, 1), LapseReason.NonPayment, P(2018, 2)));

        var recorded = account.After(lapsed);
        recorded.EpisodeOpen.ShouldBeFalse();
        recorded.CurrentEpisode.EndedOn.ShouldBe(D(2018, 6, 1));
        EpisodeChanges.Sweep(recorded, D(2018, 6, 1), Regime.Default).ShouldBeNull();
        EpisodeChanges.Sweep(recorded, D(2018, 7, 15), Regime.Default).ShouldBeNull();

        // Recording it changes nothing in the answers.
        var standing = On(recorded, D(2018, 6, 1));
        standing.Status.ShouldBe(RightsStatus.Lapsed);
        standing.End.ShouldBe(new EpisodeEnd(D(2018, 6, 1), LapseReason.NonPayment, P(2018, 2)));
        On(recorded, D(2018, 5, 31)).Status.ShouldBe(RightsStatus.Arrears);
    }

    [Fact]
    public void a_sweep_run_late_records_the_lapse_at_its_own_date()
    {
        var lapsed = EpisodeChanges.Sweep(Enrolled2018(), D(2018, 8, 20), Regime.Default).ShouldNotBeNull();
        lapsed.EffectiveOn.ShouldBe(D(2018, 5, 1));
        lapsed.LastCoveredPeriod.ShouldBeNull();
    }

    [Fact]
    public void a_payment_dated_after_the_lapse_is_refused()
    {
        // Lapse on 2018-05-01; a payment dated 2018-05-02 of 61.51 (2018-02 with 10 %) is refused.
        var (refusals, allocation) = Payments.Decide(Enrolled2018(), Payment(D(2018, 5, 2), 61.51m), D(2018, 5, 2), Regime.Default);

        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Unprocessable);
        refusal.Field.ShouldBe("affiliationNumber");
    }

    [Fact]
    public void a_payment_dated_after_a_recorded_lapse_is_refused()
    {
        var account = Enrolled2018().After(new Lapsed(D(2018, 5, 1), LapseReason.NonPayment, null));
        var (refusals, _) = Payments.Decide(account, Payment(D(2018, 6, 10), 61.51m), D(2018, 6, 10), Regime.Default);
        refusals.ShouldHaveSingleItem().Field.ShouldBe("affiliationNumber");
    }

    [Fact]
    public void a_payment_dated_on_the_lapse_day_is_accepted_and_avoids_the_lapse()
    {
        // On 2018-05-01, 2018-02 costs 55.92 + 5.59 (62 days, 10 %) = 61.51; 2018-03 would cost 61.51 more.
        var (refusals, allocation) = Payments.Decide(Enrolled2018(), Payment(D(2018, 5, 1), 61.51m), D(2018, 5, 1), Regime.Default);

        refusals.ShouldBeEmpty();
        var paid = allocation.ShouldNotBeNull().Contributions.ShouldHaveSingleItem();
        paid.Period.ShouldBe(P(2018, 2));
        paid.Surcharge.ShouldBe(5.59m);

        var account = Enrolled2018().ApplyAll(allocation.ToEvents());
        On(account, D(2018, 5, 1)).Status.ShouldBe(RightsStatus.Arrears);
        EpisodeChanges.Sweep(account, D(2018, 5, 1), Regime.Default).ShouldBeNull();
    }

    [Fact]
    public void a_payment_the_day_before_the_lapse_is_accepted()
    {
        // On 2018-04-30, 2018-02 costs 55.92 + 5.59 (61 days) = 61.51.
        var (refusals, allocation) = Payments.Decide(Enrolled2018(), Payment(D(2018, 4, 30), 61.51m), D(2018, 4, 30), Regime.Default);
        refusals.ShouldBeEmpty();
        allocation.ShouldNotBeNull().Contributions.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 2));
    }
}
