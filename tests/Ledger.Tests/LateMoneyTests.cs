using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Contributions;
using Salex.Ledger.Rights;
using Shouldly;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// Money the bank took on or before the day a lapse took effect, but recorded after the sweep recorded the
/// lapse, is judged as if it had arrived in time. Enrolled 2018-01-10, nothing paid: the lapse takes effect
/// on 2018-05-01 (the day after 2018-04's due date, Mon 2018-04-30), and the sweep records it.
/// </summary>
public sealed class LateMoneyTests
{
    private static Account LapseRecorded() => Enrolled2018().ApplyAll([new Lapsed(D(2018, 5, 1), LapseReason.NonPayment, null)]);

    private static RecordPayment Payment(NodaTime.LocalDate paidOn, decimal amount) => new(paidOn, amount, "AGRICOLA", "LATE-1", Channel.Online);

    private static BankFileLine Line(NodaTime.LocalDate paidOn, decimal amount) =>
        new(2, "AGRICOLA", "LATE-1", paidOn.AtStartOfDayInZone(Calendar.ElSalvador.TimeZone).ToInstant().Plus(NodaTime.Duration.FromHours(10)),
            "100000017", amount, Channel.Online);

    [Fact]
    public void money_paid_on_the_lapse_day_that_avoids_it_annuls_the_recorded_lapse_and_pays_the_period()
    {
        var account = LapseRecorded();
        // On 2018-05-01, 2018-02 is 62 days late: 55.92 + 10 % (5.59) = 61.51, which avoids the lapse that day.
        var decision = Payments.Decide(account, Payment(D(2018, 5, 1), 61.51m), D(2018, 6, 15), Regime.Default);
        var (refusals, allocation) = decision;
        refusals.ShouldBeEmpty();

        var events = decision.Events;

        events[0].ShouldBe(new LapseAnnulled(D(2018, 5, 1), Source(D(2018, 5, 1), "LATE-1")));
        events.Skip(1).ShouldBe(allocation!.ToEvents());
        var after = account.ApplyAll(events);
        (after.EpisodeOpen, after.CurrentEpisode.EndedOn, after.PaidThrough).ShouldBe((true, null, P(2018, 2)));
        // Covered on the lapse day after all; 2018-03, -04 and -05 unpaid make a new lapse on 2018-06-01 (05's due date Thu 05-31).
        Standing.On(after, D(2018, 5, 1), Regime.Default).Status.ShouldBe(RightsStatus.Arrears);
        EpisodeEnd.On(after, after.CurrentEpisode, D(2018, 6, 15), Regime.Default)!.EffectiveOn.ShouldBe(D(2018, 6, 1));
    }

    [Fact]
    public void money_paid_before_the_lapse_day_that_does_not_avoid_it_is_applied_and_the_lapse_stands()
    {
        var account = LapseRecorded();
        // On 2018-03-05 only credit (10.00, not a whole period): the three periods stay unpaid, the lapse stands.
        var decision = Payments.Decide(account, Payment(D(2018, 3, 5), 10.00m), D(2018, 6, 15), Regime.Default);
        var (refusals, allocation) = decision;
        refusals.ShouldBeEmpty();

        var events = decision.Events;

        events.ShouldBe(allocation!.ToEvents());
        events.ShouldNotContain(e => e is LapseAnnulled);
        account.ApplyAll(events).CurrentEpisode.EndedOn.ShouldBe(D(2018, 5, 1));
    }

    [Fact]
    public void money_paid_after_the_lapse_day_or_too_little_on_it_is_still_refused()
    {
        var account = LapseRecorded();

        Payments.Decide(account, Payment(D(2018, 5, 2), 61.51m), D(2018, 6, 15), Regime.Default).Refusals
            .ShouldHaveSingleItem().Field.ShouldBe("affiliationNumber");
        // 50.00 on the lapse day pays no period: the lapse takes effect that day, so the money has no episode to pay.
        Payments.Decide(account, Payment(D(2018, 5, 1), 50.00m), D(2018, 6, 15), Regime.Default).Refusals
            .ShouldHaveSingleItem().Field.ShouldBe("affiliationNumber");
    }

    [Fact]
    public void a_bank_file_line_paid_on_the_lapse_day_is_applied_not_refunded()
    {
        var decision = BankFileDecisions.Decide(Line(D(2018, 5, 1), 61.51m), LapseRecorded(), Regime.Default);

        decision.Outcome.ShouldBe(LineOutcome.Applied);
        (decision.Recorded.Contributions, decision.Recorded.Surcharges, decision.Recorded.Refund).ShouldBe((55.92m, 5.59m, 0m));
        decision.AccountEvents[0].ShouldBeOfType<LapseAnnulled>().LapsedOn.ShouldBe(D(2018, 5, 1));

        // The day after, the same money is a refund due, as before.
        BankFileDecisions.Decide(Line(D(2018, 5, 2), 61.51m), LapseRecorded(), Regime.Default).Outcome.ShouldBe(LineOutcome.Refused);
    }

    [Fact]
    public void a_lapse_for_another_reason_is_not_set_aside()
    {
        var withdrawn = Enrolled2018().ApplyAll([new Lapsed(D(2018, 5, 1), LapseReason.Withdrawal, null)]);

        Lifecycle.LateMoney.PredatesLapse(withdrawn, D(2018, 4, 20)).ShouldBeFalse();
        Lifecycle.LateMoney.PredatesLapse(LapseRecorded(), D(2018, 4, 20)).ShouldBeTrue();
    }
}
