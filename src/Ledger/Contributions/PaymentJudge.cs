using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Contributions;

/// <summary>
/// Judges money paid to an account, the same way for the payments API, bank files and suspense assignments:
/// the enrolment date, money that predates a recorded lapse, the allocation, the end of the episode with this
/// money included, and the last payable period. Money is judged against the episode it is dated in (the latest
/// enrolled by its date), whether or not a later episode has begun since. Pure: the account as recorded, the
/// money, the regime.
/// </summary>
public static class PaymentJudge
{
    public static PaymentJudgement Judge(Account account, PaymentSource source, decimal amount, Regime regime)
    {
        if (account.EpisodeOn(source.PaidOn) is not { } episode)
            return Unapplied(PaymentVerdict.BeforeEnrolment, source, amount, account.Episodes[0].EnrolledOn, null);
        var enrolledOn = episode.EnrolledOn;

        // Money dated inside an earlier episode, recorded after a re-enrolment, pays that episode as it would have
        // without the re-enrolment, up to the last period it can still cover (Account.LastCoverablePeriod). Only the
        // episode in course can have a recorded lapse annulled (LateMoney): a later episode was decided on the earlier
        // one's end.
        var inCourse = episode.Number == account.CurrentEpisode.Number;
        // Money the bank took before a lapse was recorded is judged as if it had arrived in time.
        var judged = inCourse ? LateMoney.AccountToJudge(account, source.PaidOn) : account;
        var allocation = PaymentAllocator.Allocate(
            judged,
            judged.Episodes[episode.Number - 1],
            source,
            amount,
            regime.Rates,
            regime.Calendar,
            regime.Rules
        );
        IReadOnlyList<object> Recorded(IReadOnlyList<object> events) =>
            inCourse ? LateMoney.EventsFor(account, source, events, regime) : events;

        // Money paid on a date counts for that date: a payment on the day a lapse for non-payment would take
        // effect avoids it (EpisodeEnd.NonPaymentLapse), so the end is judged with this payment included.
        var withPayment = allocation.ToEvents().Aggregate(judged, (a, e) => a.After(e));
        if (EpisodeEnd.On(withPayment, withPayment.Episodes[episode.Number - 1], source.PaidOn, regime) is { } end)
            return Unapplied(PaymentVerdict.NoOpenEpisode, source, amount, enrolledOn, end);

        if (allocation.StoppedAtAdvanceLimit)
        {
            // Taken money: the periods up to the limit are paid and the rest is owed back, never dropped and
            // never kept as credit that could only pay periods past the limit.
            var applied = allocation with
            {
                Remainder = 0m,
            };
            var refund = allocation.Remainder;
            var refundDue = new RefundDue(
                source.PaidOn,
                $"Beyond the last payable period ({Periods.Format(allocation.LastPayablePeriod)})",
                refund,
                [],
                source
            );
            return new PaymentJudgement(
                PaymentVerdict.PastLastPayablePeriod,
                source,
                amount,
                applied,
                refund,
                allocation.LastPayablePeriod,
                enrolledOn,
                null,
                Recorded([.. applied.ToEvents(), refundDue])
            );
        }

        return new PaymentJudgement(
            PaymentVerdict.Accepted,
            source,
            amount,
            allocation,
            0m,
            allocation.LastPayablePeriod,
            enrolledOn,
            null,
            Recorded(allocation.ToEvents())
        );
    }

    /// <summary>No open episode on the payment date: nothing is applied, and taken money is owed back whole.</summary>
    private static PaymentJudgement Unapplied(
        PaymentVerdict verdict,
        PaymentSource source,
        decimal amount,
        NodaTime.LocalDate enrolledOn,
        EpisodeEnd? end
    ) =>
        new(
            verdict,
            source,
            amount,
            null,
            amount,
            null,
            enrolledOn,
            end,
            [new RefundDue(source.PaidOn, "No open coverage episode on the payment date", amount, [], source)]
        );
}
