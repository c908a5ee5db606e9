using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Lifecycle;

/// <summary>The decisions that end or shorten a coverage episode: return, withdrawal, and the lapse sweep.</summary>
public static class EpisodeChanges
{
    public const int ReturnWindowMonths = 6;

    /// <summary>
    /// The insured returned to El Salvador: coverage continues for six months if paid; periods already paid
    /// past the window become a refund due.
    /// </summary>
    public static (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events) Return(
        Account account,
        LocalDate returnedOn,
        LocalDate today,
        Regime regime
    )
    {
        var episode = account.CurrentEpisode;
        if (returnedOn > today)
            return ([Refusal.Invalid("returnedOn", "The return date cannot be in the future.")], []);
        if (returnedOn < episode.EnrolledOn)
            return ([Refusal.Invalid("returnedOn", "The return date is before the enrolment.")], []);
        if (EpisodeEnd.On(account, episode, returnedOn, regime) is { } end)
            return (
                [
                    Refusal.Unprocessable(
                        "affiliationNumber",
                        $"The coverage episode ended on {Dates.Format(end.EffectiveOn)}; there is nothing to keep."
                    ),
                ],
                []
            );
        if (episode.ReturnedOn is { } already)
            return (
                [Refusal.Conflict("returnedOn", $"The return was already recorded on {Dates.Format(already)}.")],
                []
            );
        var coveredUntil = returnedOn.PlusMonths(ReturnWindowMonths);
        // Money recorded for the episode was paid while it was open; a return that ends it earlier contradicts it.
        if (LastPaidOn(account) is { } paidOn && paidOn > coveredUntil)
            return (
                [
                    Refusal.Conflict(
                        "returnedOn",
                        $"Money was paid for this episode on {Dates.Format(paidOn)}, after the return window this date would end on {Dates.Format(coveredUntil)}."
                    ),
                ],
                []
            );

        var events = new List<object> { new Returned(returnedOn, coveredUntil) };
        if (
            RefundAfter(
                account,
                Periods.PeriodOf(coveredUntil),
                returnedOn,
                today,
                "Paid in advance past the return window"
            ) is
            { } refund
        )
            events.Add(refund);
        return ([], events);
    }

    /// <summary>
    /// Voluntary withdrawal (darse de baja): coverage stops on <paramref name="effectiveOn"/>; periods paid
    /// after the month of the last covered day become a refund due.
    /// </summary>
    public static (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events) Withdraw(
        Account account,
        LocalDate effectiveOn,
        LocalDate today,
        Regime regime
    )
    {
        var episode = account.CurrentEpisode;
        // Like a return, a withdrawal records what happened: it is recorded on or after its first day without coverage.
        if (effectiveOn > today)
            return (
                [
                    Refusal.Invalid(
                        "effectiveOn",
                        "The withdrawal cannot take effect in the future: record it on its first day without coverage."
                    ),
                ],
                []
            );
        if (effectiveOn < episode.EnrolledOn)
            return ([Refusal.Invalid("effectiveOn", "The withdrawal cannot take effect before the enrolment.")], []);
        if (EpisodeEnd.On(account, episode, effectiveOn, regime) is { } end)
            return (
                [
                    Refusal.Unprocessable(
                        "affiliationNumber",
                        $"The coverage episode already ended on {Dates.Format(end.EffectiveOn)}."
                    ),
                ],
                []
            );
        if (LastPaidOn(account) is { } paidOn && paidOn >= effectiveOn)
            return (
                [
                    Refusal.Conflict(
                        "effectiveOn",
                        $"Money was paid for this episode on {Dates.Format(paidOn)}, when coverage would already have stopped."
                    ),
                ],
                []
            );

        var lastCoveredMonth = Periods.PeriodOf(effectiveOn.PlusDays(-1));
        var events = new List<object>();
        if (
            RefundAfter(account, lastCoveredMonth, effectiveOn, today, "Paid in advance past a withdrawal") is
            { } refund
        )
            events.Add(refund);
        var paidThrough = account.PaidThrough;
        YearMonth? lastCovered = paidThrough is { } p ? (p < lastCoveredMonth ? p : lastCoveredMonth) : null;
        if (lastCovered < episode.FirstPeriod)
            lastCovered = null;
        events.Add(new Lapsed(effectiveOn, LapseReason.Withdrawal, lastCovered));
        return ([], events);
    }

    /// <summary>
    /// The daily sweep: the <see cref="Lapsed"/> due on <paramref name="today"/> for an episode whose end is not
    /// recorded yet, or nothing. Running it again after recording appends nothing.
    /// </summary>
    public static Lapsed? Sweep(Account account, LocalDate today, Regime regime)
    {
        var episode = account.CurrentEpisode;
        if (episode.IsEnded)
            return null;
        return EpisodeEnd.On(account, episode, today, regime) is { } end
            ? new Lapsed(end.EffectiveOn, end.Reason, end.LastCoveredPeriod)
            : null;
    }

    /// <summary>The periods paid past <paramref name="lastKept"/>, owed back and no longer paid from <paramref
    /// name="effectiveOn"/>.</summary>
    private static RefundDue? RefundAfter(
        Account account,
        YearMonth lastKept,
        LocalDate effectiveOn,
        LocalDate today,
        string reason
    )
    {
        var refunded = account
            .PaidIn(account.CurrentEpisode)
            .Where(p => p.Period > lastKept)
            .Select(p => new PeriodPayment(p.Period, p.Base, 0, 0m, p.Surcharge))
            .ToList();
        return refunded.Count == 0
            ? null
            : new RefundDue(today, reason, refunded.Sum(p => p.Total), refunded, null, effectiveOn);
    }

    /// <summary>The bank date of the latest money that pays periods of the current episode.</summary>
    private static LocalDate? LastPaidOn(Account account) =>
        account.PaidIn(account.CurrentEpisode).Select(p => (LocalDate?)p.PaidOn).Max();
}
