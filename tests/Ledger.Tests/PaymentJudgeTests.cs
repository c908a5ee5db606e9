using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Contributions;
using Shouldly;
using static Salex.Ledger.Tests.Fixtures;
using static Salex.Ledger.Tests.MoneyPaid;

namespace Salex.Ledger.Tests;

/// <summary>
/// One judge for every way money arrives: the payments API refuses what it does not accept, and a bank file
/// line records the same judgement's events. Enrolled 2018-01-10, first period 2018-02 (55.92 a month).
/// </summary>
public sealed class PaymentJudgeTests
{
    private static readonly Regime R = Regime.Default;

    private static PaymentJudgement Judge(Account account, NodaTime.LocalDate paidOn, decimal amount) =>
        PaymentJudge.Judge(account, Source(paidOn), amount, R);

    [Fact]
    public void accepted_money_is_recorded_with_the_same_events_by_the_api_and_by_a_bank_file()
    {
        // 2018-03-05: 2018-02 is 5 days late, 55.92 + 2.80; the 1.00 left is credit.
        var judgement = Judge(Enrolled2018(), D(2018, 3, 5), 59.72m);
        judgement.Verdict.ShouldBe(PaymentVerdict.Accepted);
        judgement.Allocation!.Remainder.ShouldBe(1.00m);

        var api = Payments.Decide(Enrolled2018(), Payment(D(2018, 3, 5), 59.72m), D(2018, 3, 31), R);
        var file = BankFileDecisions.Decide(Line(D(2018, 3, 5), 59.72m), Enrolled2018(), R);
        Shape(api.Events).ShouldBe(Shape(judgement.Events));
        Shape(file.AccountEvents).ShouldBe(Shape(judgement.Events));
        file.Outcome.ShouldBe(LineOutcome.AppliedWithCredit);
    }

    [Fact]
    public void money_past_the_last_payable_period_pays_up_to_it_and_the_rest_is_a_refund_due()
    {
        // On 2018-03-05 the last payable period is 2019-03: 2018-02 (58.72) + 2018-03 .. 2019-03 (13 × 55.92 = 726.96)
        // = 785.68; one more period (55.92) is owed back.
        var judgement = Judge(Enrolled2018(), D(2018, 3, 5), 785.68m + 55.92m);

        judgement.Verdict.ShouldBe(PaymentVerdict.PastLastPayablePeriod);
        judgement.LastPayablePeriod.ShouldBe(P(2019, 3));
        judgement.Refund.ShouldBe(55.92m);
        judgement.Allocation!.Periods.Last().Period.ShouldBe(P(2019, 3));
        judgement.Events.OfType<RefundDue>().ShouldHaveSingleItem().Amount.ShouldBe(55.92m);

        Payments.Decide(Enrolled2018(), Payment(D(2018, 3, 5), 841.60m), D(2018, 3, 31), R).Refusals
            .ShouldHaveSingleItem().Field.ShouldBe("amount");
        BankFileDecisions.Decide(Line(D(2018, 3, 5), 841.60m), Enrolled2018(), R).Outcome.ShouldBe(LineOutcome.PartlyBeyondAdvanceLimit);
    }

    [Fact]
    public void money_with_no_open_episode_is_owed_back_whole()
    {
        // Nothing paid: the episode lapses on 2018-05-01.
        var judgement = Judge(Enrolled2018(), D(2018, 5, 2), 61.51m);

        judgement.Verdict.ShouldBe(PaymentVerdict.NoOpenEpisode);
        judgement.End!.EffectiveOn.ShouldBe(D(2018, 5, 1));
        judgement.Allocation.ShouldBeNull();
        judgement.Events.ShouldHaveSingleItem().ShouldBeOfType<RefundDue>().Amount.ShouldBe(61.51m);
        BankFileDecisions.Decide(Line(D(2018, 5, 2), 61.51m), Enrolled2018(), R).Outcome.ShouldBe(LineOutcome.Refused);
    }

    [Fact]
    public void money_paid_before_the_enrolment_has_nothing_to_pay()
    {
        var judgement = Judge(Enrolled2018(), D(2018, 1, 9), 55.92m);

        judgement.Verdict.ShouldBe(PaymentVerdict.BeforeEnrolment);
        judgement.Refund.ShouldBe(55.92m);
        BankFileDecisions.Decide(Line(D(2018, 1, 9), 55.92m), Enrolled2018(), R).Outcome.ShouldBe(LineOutcome.Refused);
    }
}
