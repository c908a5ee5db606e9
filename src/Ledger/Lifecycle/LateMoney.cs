using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Lifecycle;

/// <summary>
/// Money that arrives after the lapse sweep but was paid (the bank's date) on or before the day the lapse
/// took effect is judged as if it had arrived in time: the bank took it while the episode was open. So a
/// payment is decided on the account with its recorded lapse for non-payment set aside, and if with that
/// payment the lapse no longer falls on that day, the lapse is annulled (<see cref="LapseAnnulled"/>).
/// </summary>
public static class LateMoney
{
    /// <summary>True when the current episode was closed by a recorded lapse for non-payment that money paid on
    /// <paramref name="paidOn"/> predates.</summary>
    public static bool PredatesLapse(Account account, LocalDate paidOn) =>
        account.CurrentEpisode is { EndedOn: { } lapsedOn, EndReason: LapseReason.NonPayment } && paidOn <= lapsedOn;

    /// <summary>The account a payment made on <paramref name="paidOn"/> is decided on.</summary>
    public static Account AccountToJudge(Account account, LocalDate paidOn) =>
        PredatesLapse(account, paidOn) ? Reopened(account) : account;

    /// <summary>
    /// The events that record a payment decided on <see cref="AccountToJudge"/>: its own, preceded by the
    /// annulment of the recorded lapse when, with this money, the lapse no longer takes effect on its day.
    /// </summary>
    public static IReadOnlyList<object> EventsFor(
        Account account,
        PaymentSource source,
        IReadOnlyList<object> paymentEvents,
        Regime regime
    )
    {
        if (paymentEvents.Count == 0 || !PredatesLapse(account, source.PaidOn))
            return paymentEvents;
        var lapsedOn = account.CurrentEpisode.EndedOn!.Value;
        var paid = paymentEvents.Aggregate(Reopened(account), (a, e) => a.After(e));
        var stillLapses =
            EpisodeEnd.NonPaymentLapse(paid, paid.CurrentEpisode, lapsedOn, regime) is { } lapse
            && lapse.EffectiveOn == lapsedOn;
        return stillLapses ? paymentEvents : [new LapseAnnulled(lapsedOn, source), .. paymentEvents];
    }

    private static Account Reopened(Account account) =>
        account.After(new LapseAnnulled(account.CurrentEpisode.EndedOn!.Value, new PaymentSource(default, "", "", "")));
}
