using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Contributions;
using Salex.Ledger.Enrolment;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Shouldly;
using static Salex.Ledger.Tests.Fixtures;
using static Salex.Ledger.Tests.MoneyPaid;
using EnrolmentRules = Salex.Ledger.Enrolment.Enrolment;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1: a person whose coverage ended may enrol again on the same stream, as a new coverage episode; the date
/// that counts is the date the money was paid. README: money dated before a withdrawal or return but recorded after
/// it is judged as of its date (the episode was open then). So money dated inside an earlier episode is judged
/// against that episode, whether or not the person enrolled again before it was recorded (the attacker's defect 5).
/// Enrolled 2026-11-10 (first period 2026-12, 68.04), nothing paid, withdrawal effective 2026-12-03; perhaps enrolled
/// again on 2026-12-05 (first period 2027-01 by default); today 2026-12-06.
/// </summary>
public sealed class EarlierEpisodeMoneyTests
{
    private const decimal Rate = 68.04m;
    private static readonly Regime R = Regime.Default;
    private static readonly LocalDate Today = D(2026, 12, 6);

    private static Account Withdrawn()
    {
        var enrolled = NewAccount(Enrolled(D(2026, 11, 10), P(2026, 12)));
        var (refusals, events) = EpisodeChanges.Withdraw(enrolled, D(2026, 12, 3), D(2026, 12, 3), R);
        refusals.ShouldBeEmpty();
        return enrolled.ApplyAll(events);
    }

    private static Account EnrolledAgain(Account ended, LocalDate enrolledOn, YearMonth? firstPeriod = null)
    {
        var command = new Enrol("04567890-3", "Ana María López", D(1985, 6, 2), "US", null, enrolledOn, firstPeriod,
            new EligibilityChecks(true, true, true), []);
        EnrolmentRules.Check(command, ended, enrolledOn, R).ShouldBeEmpty();
        return ended.ApplyAll(EnrolmentRules.Decide(command, ended, "100000017", R));
    }

    private static Account WithdrawnAndEnrolledAgain() => EnrolledAgain(Withdrawn(), D(2026, 12, 5));

    [Fact]
    public void money_dated_inside_the_earlier_episode_pays_it_as_it_would_have_without_the_re_enrolment()
    {
        var line = BankFileDecisions.Decide(Line(D(2026, 12, 2), Rate), WithdrawnAndEnrolledAgain(), R);
        var without = BankFileDecisions.Decide(Line(D(2026, 12, 2), Rate), Withdrawn(), R);

        // Applied, 2026-12 on time (due Thu 2026-12-31), no refund: the same judgement as without the re-enrolment.
        (line.Outcome, line.Recorded.Contributions, line.Recorded.Refund).ShouldBe((LineOutcome.Applied, Rate, 0m));
        line.Allocation!.Periods.ShouldBe([new PeriodPayment(P(2026, 12), Rate, 0, 0m, 0m)]);
        without.Outcome.ShouldBe(line.Outcome);
        Shape(without.AccountEvents).ShouldBe(Shape(line.AccountEvents));
        // The payments API decides it the same way, with the same events.
        var api = Payments.Decide(WithdrawnAndEnrolledAgain(), Payment(D(2026, 12, 2), Rate), Today, R);
        api.Refusals.ShouldBeEmpty();
        Shape(api.Events).ShouldBe(Shape(line.AccountEvents));

        // The events name the episode they pay, since it is not the one in course.
        line.AccountEvents.OfType<ContributionPaid>().ShouldHaveSingleItem().Episode.ShouldBe(1);
        without.AccountEvents.OfType<ContributionPaid>().ShouldHaveSingleItem().Episode.ShouldBeNull();
        var paid = WithdrawnAndEnrolledAgain().ApplyAll(line.AccountEvents);
        paid.PaidIn(paid.Episodes[0]).Select(p => p.Period).ShouldBe([P(2026, 12)]);
        paid.PaidThrough.ShouldBeNull(); // the new episode's: nothing paid in it
        paid.NextUnpaidPeriod.ShouldBe(P(2027, 1));

        // Covered in 2026-12 on the day it was paid; after the withdrawal, lapsed and covered through 2026-12.
        var paidDay = Standing.On(paid, D(2026, 12, 2), R);
        (paidDay.Status, paidDay.CoveredThrough).ShouldBe((RightsStatus.Active, P(2026, 12)));
        var today = Standing.On(paid, Today, R);
        (today.Status, today.CoveredThrough).ShouldBe((RightsStatus.Lapsed, P(2026, 12)));
        EpisodeEnd.Recorded(paid, paid.Episodes[0])!.LastCoveredPeriod.ShouldBe(P(2026, 12));
    }

    [Fact]
    public void money_of_the_earlier_episode_never_pays_a_period_of_the_new_one()
    {
        // Enrolled again on 2026-12-05 from 2026-12 (the enrolment month): that month is the new episode's.
        var account = EnrolledAgain(Withdrawn(), D(2026, 12, 5), P(2026, 12));
        account.LastCoverablePeriod(account.Episodes[0]).ShouldBe(P(2026, 11));

        var refusal = Payments.Decide(account, Payment(D(2026, 12, 2), Rate), Today, R).Refusals.ShouldHaveSingleItem();
        (refusal.Kind, refusal.Field).ShouldBe((RefusalKind.Unprocessable, "amount"));
        var line = BankFileDecisions.Decide(Line(D(2026, 12, 2), Rate), account, R);
        (line.Outcome, line.Recorded.Contributions, line.Recorded.Refund).ShouldBe((LineOutcome.PartlyBeyondAdvanceLimit, 0m, Rate));
        account.ApplyAll(line.AccountEvents).Paid.ShouldBeEmpty();
    }

    [Fact]
    public void money_dated_after_the_earlier_episode_ended_and_before_the_new_enrolment_has_no_open_episode()
    {
        // 2026-12-04: the withdrawal took effect on 12-03, the new episode's enrolment is 12-05. As without the re-enrolment.
        PaymentJudge.Judge(Withdrawn(), Line(D(2026, 12, 4), Rate).Source, Rate, R).Verdict.ShouldBe(PaymentVerdict.NoOpenEpisode);
        var judgement = PaymentJudge.Judge(WithdrawnAndEnrolledAgain(), Line(D(2026, 12, 4), Rate).Source, Rate, R);
        (judgement.Verdict, judgement.End!.EffectiveOn, judgement.Refund).ShouldBe((PaymentVerdict.NoOpenEpisode, D(2026, 12, 3), Rate));

        var refusal = Payments.Decide(WithdrawnAndEnrolledAgain(), Payment(D(2026, 12, 4), Rate), Today, R).Refusals.ShouldHaveSingleItem();
        (refusal.Kind, refusal.Field).ShouldBe((RefusalKind.Unprocessable, "affiliationNumber"));
        refusal.Reason.ShouldContain("2026-12-05");
        BankFileDecisions.Decide(Line(D(2026, 12, 4), Rate), WithdrawnAndEnrolledAgain(), R).Outcome.ShouldBe(LineOutcome.Refused);
        // From the new enrolment on, money pays the new episode (2027-01 in advance).
        var (ok, allocation) = Payments.Decide(WithdrawnAndEnrolledAgain(), Payment(D(2026, 12, 5), Rate), Today, R);
        ok.ShouldBeEmpty();
        (allocation!.Episode, allocation.Advances.Single().Period).ShouldBe((null, P(2027, 1)));
    }

    [Fact]
    public void money_dated_before_the_first_enrolment_is_before_the_enrolment()
    {
        var judgement = PaymentJudge.Judge(WithdrawnAndEnrolledAgain(), Line(D(2026, 11, 9), Rate).Source, Rate, R);
        (judgement.Verdict, judgement.EnrolledOn).ShouldBe((PaymentVerdict.BeforeEnrolment, D(2026, 11, 10)));
        var refusal = Payments.Decide(WithdrawnAndEnrolledAgain(), Payment(D(2026, 11, 9), Rate), Today, R).Refusals.ShouldHaveSingleItem();
        (refusal.Kind, refusal.Field).ShouldBe((RefusalKind.Invalid, "paidOn"));
        refusal.Reason.ShouldContain("2026-11-10");
    }

    [Fact]
    public void a_lapse_for_non_payment_that_a_re_enrolment_followed_is_not_annulled_by_money_recorded_after_it()
    {
        // Enrolled 2018-01-10, 2018-02 paid; 03, 04, 05 unpaid lapse the episode on 2018-06-01 (covered through 2018-02);
        // enrolled again 2018-07-15 (first period 2018-08). 61.51 dated 2018-05-20 would pay 2018-03 (10 % late).
        var lapsed = Enrolled2018().After(PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m)));
        var without = lapsed.After(new Lapsed(D(2018, 6, 1), LapseReason.NonPayment, P(2018, 2)));
        var again = EnrolledAgain(lapsed, D(2018, 7, 15));
        var source = Line(D(2018, 5, 20), 61.51m).Source;

        // Without the re-enrolment it annuls the lapse (LateMoney); with it, the new episode was decided on that lapse:
        // the money can pay no period of the earlier episode and is owed back.
        PaymentJudge.Judge(without, source, 61.51m, R).Events.OfType<LapseAnnulled>().ShouldHaveSingleItem();
        again.LastCoverablePeriod(again.Episodes[0]).ShouldBe(P(2018, 2));
        var judgement = PaymentJudge.Judge(again, source, 61.51m, R);
        (judgement.Verdict, judgement.Refund).ShouldBe((PaymentVerdict.PastLastPayablePeriod, 61.51m));
        judgement.Events.ShouldNotContain(e => e is LapseAnnulled);
        judgement.Events.ShouldNotContain(e => e is ContributionPaid);
        again.ApplyAll(judgement.Events).Episodes[0].EndedOn.ShouldBe(D(2018, 6, 1));
    }
}
