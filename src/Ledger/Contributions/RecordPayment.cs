using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

public enum Channel { Branch, Online }

/// <summary>A payment sent by a caller of the API, already parsed.</summary>
public sealed record RecordPayment(LocalDate PaidOn, decimal Amount, string BankCode, string Reference, Channel Channel)
{
    public PaymentSource Source => new(PaidOn, BankCode, Reference, Channel.ToString().ToUpperInvariant());
}

public static class Payments
{
    /// <summary>Checks that need no account: the shape of the money and the date.</summary>
    public static IEnumerable<Refusal> CheckShape(RecordPayment command, LocalDate today)
    {
        if (command.Amount <= 0) yield return Refusal.Invalid("amount", "The amount must be positive.");
        else if (!Money.IsWholeCents(command.Amount)) yield return Refusal.Invalid("amount", "The amount cannot have more than two decimals.");
        if (command.PaidOn > today) yield return Refusal.Invalid("paidOn", "The payment date cannot be in the future.");
        if (string.IsNullOrWhiteSpace(command.BankCode)) yield return Refusal.Invalid("bankCode", "The bank code is required.");
        if (string.IsNullOrWhiteSpace(command.Reference)) yield return Refusal.Invalid("reference", "The bank reference is required.");
    }

    /// <summary>
    /// Decides a payment made through the API: either refusals, or the allocation whose events record it.
    /// A payment that would pay a period past the advance limit is refused whole (nothing is recorded).
    /// </summary>
    public static (IReadOnlyList<Refusal> Refusals, PaymentAllocation? Allocation) Decide(
        Account account, RecordPayment command, LocalDate today, Regime regime)
    {
        var refusals = CheckShape(command, today).ToList();
        if (refusals.Count > 0) return (refusals, null);

        if (command.PaidOn < account.CurrentEpisode.EnrolledOn)
            return ([Refusal.Unprocessable("paidOn", $"The payment date is before the enrolment on {Dates.Format(account.CurrentEpisode.EnrolledOn)}.")], null);
        // Money the bank took before a lapse was recorded is judged as if it had arrived in time.
        account = Lifecycle.LateMoney.AccountToJudge(account, command.PaidOn);
        var allocation = PaymentAllocator.Allocate(account, command.Source, command.Amount, regime.Rates, regime.Calendar, regime.Rules);
        // Money paid on a date counts for that date: a payment on the day a lapse for non-payment would take
        // effect avoids it (EpisodeEnd.NonPaymentLapse), so the end is judged with this payment included.
        var withPayment = account;
        foreach (var e in allocation.ToEvents()) withPayment = withPayment.After(e);
        if (Rights.EpisodeEnd.On(withPayment, withPayment.CurrentEpisode, command.PaidOn, regime) is { } end)
            return ([Refusal.Unprocessable("affiliationNumber",
                $"The coverage episode ended on {Dates.Format(end.EffectiveOn)} ({end.Reason}); there is no open episode to pay. The person may enrol again.")], null);

        var rules = regime.Rules;
        if (allocation.StoppedAtAdvanceLimit)
            return ([Refusal.Unprocessable("amount",
                $"The amount would pay periods after {Periods.Format(allocation.LastPayablePeriod)}, the last period payable on {Dates.Format(command.PaidOn)} (at most {rules.AdvanceMonths} months ahead, and not past a return window).")], null);
        return ([], allocation);
    }

    /// <summary>
    /// The events that record an accepted payment on the account as it is: the allocation's, preceded by the
    /// annulment of a recorded lapse that this money, paid in time, avoids.
    /// </summary>
    public static IReadOnlyList<object> EventsFor(Account account, PaymentAllocation allocation, Regime regime) =>
        Lifecycle.LateMoney.EventsFor(account, allocation.Source, allocation.ToEvents(), regime);
}
