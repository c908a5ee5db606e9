using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.BankFiles;

/// <summary>What a line does: its outcome, the events for the payer's stream, and the line's record for the file's stream.</summary>
public sealed record LineDecision(BankFileLineRecorded Recorded, IReadOnlyList<object> AccountEvents, PaymentAllocation? Allocation)
{
    public LineOutcome Outcome => Recorded.Outcome;
}

/// <summary>
/// Decides the lines of a bank file. Pure: the caller has already looked up whether the line's
/// <c>(bankCode, transactionId)</c> is in the ledger and loaded the payer's account (null when unknown).
/// </summary>
public static class BankFileDecisions
{
    public static BankFileLineRecorded Malformed(MalformedLine m) =>
        new(m.Number, null, null, null, null, 0m, LineOutcome.Malformed, 0m, 0m, 0m, 0m, 0m,
            Limits.Printable($"{m.Reason} Line: {m.Text}", 2 * Limits.Reason));

    public static LineDecision Duplicate(BankFileLine line) =>
        new(Recorded(line, LineOutcome.Duplicate, reason: $"Transaction {line.TransactionId} of bank {line.BankCode} is already in the ledger."), [], null);

    public static LineDecision Decide(BankFileLine line, Account? account, Regime regime)
    {
        if (account is null)
            return new(Recorded(line, LineOutcome.UnknownPayer, suspense: line.Amount,
                reason: $"No insured person has the affiliation number '{line.AffiliationNumber}'; held in suspense."), [], null);

        var source = line.Source;
        if (line.PaidOn < account.CurrentEpisode.EnrolledOn)
            return Refused(line, account, $"Paid on {Calendar.Dates.Format(line.PaidOn)}, before the enrolment on {Calendar.Dates.Format(account.CurrentEpisode.EnrolledOn)}.");

        // As for the payments API: money the bank took before a lapse was recorded is judged as if it had
        // arrived in time, and money paid on the day a lapse would take effect avoids it, so the end of the
        // episode is judged with this payment included.
        var judged = Lifecycle.LateMoney.AccountToJudge(account, line.PaidOn);
        var allocation = PaymentAllocator.Allocate(judged, source, line.Amount, regime.Rates, regime.Calendar, regime.Rules);
        var withPayment = judged;
        foreach (var e in allocation.ToEvents()) withPayment = withPayment.After(e);
        if (Rights.EpisodeEnd.On(withPayment, withPayment.CurrentEpisode, line.PaidOn, regime) is { } end)
            return Refused(line, account, $"The coverage episode ended on {Calendar.Dates.Format(end.EffectiveOn)} ({end.Reason}).");

        var contributions = allocation.ContributionsTotal;
        var surcharges = allocation.SurchargesTotal;
        if (allocation.StoppedAtAdvanceLimit && allocation.Remainder > 0)
        {
            // A bank has already taken the money: the periods up to the limit are paid and the rest is owed
            // back, never dropped and never kept as credit that could only pay periods past the limit.
            var refund = allocation.Remainder;
            var applied = allocation with { Remainder = 0m };
            var events = Lifecycle.LateMoney.EventsFor(account, source, [.. applied.ToEvents(), new RefundDue(line.PaidOn,
                $"Beyond the advance limit ({Calendar.Periods.Format(allocation.LastPayablePeriod)})", refund, [], source)], regime);
            return new(Recorded(line, LineOutcome.PartlyBeyondAdvanceLimit, contributions, surcharges, -allocation.CreditApplied, refund: refund,
                reason: $"Periods after {Calendar.Periods.Format(allocation.LastPayablePeriod)} cannot be paid on {Calendar.Dates.Format(line.PaidOn)}; {Dollars(refund)} is a refund due."),
                events, applied);
        }

        var credit = allocation.Remainder - allocation.CreditApplied;
        var outcome = allocation.Remainder > 0 ? LineOutcome.AppliedWithCredit : LineOutcome.Applied;
        return new(Recorded(line, outcome, contributions, surcharges, credit), Lifecycle.LateMoney.EventsFor(account, source, allocation.ToEvents(), regime), allocation);
    }

    /// <summary>No open episode on the payment date: the whole amount is owed back, recorded on the account.</summary>
    private static LineDecision Refused(BankFileLine line, Account account, string why) =>
        new(Recorded(line, LineOutcome.Refused, refund: line.Amount, reason: $"{why} No open episode: {Dollars(line.Amount)} is a refund due."),
            [new RefundDue(line.PaidOn, "No open coverage episode on the payment date", line.Amount, [], line.Source)], null);

    private static string Dollars(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static BankFileLineRecorded Recorded(BankFileLine line, LineOutcome outcome,
        decimal contributions = 0m, decimal surcharges = 0m, decimal credit = 0m, decimal suspense = 0m, decimal refund = 0m, string? reason = null) =>
        new(line.Number, line.BankCode, line.TransactionId, line.AffiliationNumber, line.PaidOn,
            line.Amount, outcome, contributions, surcharges, credit, suspense, refund, reason);
}
