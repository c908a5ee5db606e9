using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// Decides the lines of a bank file. Pure: the caller has already looked up whether the line's
/// <c>(bankCode, transactionId)</c> is in the ledger and loaded the payer's account (null when unknown).
/// The payment itself is judged by <see cref="PaymentJudge"/>, as for the payments API; a bank has already
/// taken the money, so what the API would refuse becomes a refund due.
/// </summary>
public static class BankFileDecisions
{
    public static BankFileLineRecorded Malformed(MalformedLine m) =>
        new(
            m.Number,
            null,
            null,
            null,
            null,
            0m,
            LineOutcome.Malformed,
            0m,
            0m,
            0m,
            0m,
            0m,
            Limits.Printable($"{m.Reason} Line: {m.Text}", 2 * Limits.Reason)
        );

    public static LineDecision Duplicate(BankFileLine line) =>
        new(
            Recorded(
                line,
                LineOutcome.Duplicate,
                reason: $"Transaction {line.TransactionId} of bank {line.BankCode} is already in the ledger."
            ),
            [],
            null
        );

    /// <summary>
    /// A line whose key is in the ledger already with other facts (<see cref="TransactionFacts"/>): a different
    /// transaction under a reused reference. Its money is held in suspense under <paramref name="line"/>'s own
    /// conflict reference (<see cref="TransactionKey.Conflicting"/>), never counted as a duplicate.
    /// </summary>
    public static LineDecision Conflict(BankFileLine line, string reference, TransactionFacts known) =>
        new(
            Recorded(
                line,
                LineOutcome.Conflict,
                suspense: line.Amount,
                reason: $"Transaction {reference} of bank {line.BankCode} is already in the ledger with other data "
                    + $"({known}); "
                    + $"this one ({line.Facts}) is held in suspense for finance."
            ),
            [],
            null
        );

    /// <summary>The line's record with its place in the order the file is applied, when that differs from its
    /// number.</summary>
    public static BankFileLineRecorded InOrder(BankFileLineRecorded recorded, int sequence) =>
        sequence == recorded.Line ? recorded : recorded with { Sequence = sequence };

    public static LineDecision Decide(BankFileLine line, Account? account, Regime regime)
    {
        // The reader already knows that this money must wait for finance, whoever the payer is.
        if (line.Hold is { } hold)
            return new(Recorded(line, hold, suspense: line.Amount, reason: line.HoldReason), [], null);
        if (account is null)
            return new(
                Recorded(
                    line,
                    LineOutcome.UnknownPayer,
                    suspense: line.Amount,
                    reason: $"No insured person has the affiliation number '{line.AffiliationNumber}'; held in suspense."
                ),
                [],
                null
            );

        var judgement = PaymentJudge.Judge(account, line.Source, line.Amount, regime);
        var a = judgement.Allocation;
        return judgement.Verdict switch
        {
            PaymentVerdict.BeforeEnrolment => Refused(
                line,
                judgement,
                $"Paid on {Dates.Format(line.PaidOn)}, before the enrolment on {Dates.Format(judgement.EnrolledOn)}."
            ),
            PaymentVerdict.NoOpenEpisode => Refused(
                line,
                judgement,
                $"The coverage episode ended on {Dates.Format(judgement.End!.EffectiveOn)} ({judgement.End.Reason})."
            ),
            PaymentVerdict.PastLastPayablePeriod => new(
                Recorded(
                    line,
                    LineOutcome.PartlyBeyondAdvanceLimit,
                    a!.ContributionsTotal,
                    a.SurchargesTotal,
                    -a.CreditApplied,
                    refund: judgement.Refund,
                    reason: $"Periods after {Periods.Format(judgement.LastPayablePeriod!.Value)} cannot be paid on "
                        + $"{Dates.Format(line.PaidOn)}; {Dollars(judgement.Refund)} is a refund due."
                ),
                judgement.Events,
                a
            ),
            _ => new(
                Recorded(
                    line,
                    a!.Remainder > 0 ? LineOutcome.AppliedWithCredit : LineOutcome.Applied,
                    a.ContributionsTotal,
                    a.SurchargesTotal,
                    a.Remainder - a.CreditApplied
                ),
                judgement.Events,
                a
            ),
        };
    }

    /// <summary>No open episode on the payment date: the whole amount is owed back, recorded on the account.</summary>
    private static LineDecision Refused(BankFileLine line, PaymentJudgement judgement, string why) =>
        new(
            Recorded(
                line,
                LineOutcome.Refused,
                refund: line.Amount,
                reason: $"{why} No open episode: {Dollars(line.Amount)} is a refund due."
            ),
            judgement.Events,
            null
        );

    private static string Dollars(decimal amount) =>
        amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static BankFileLineRecorded Recorded(
        BankFileLine line,
        LineOutcome outcome,
        decimal contributions = 0m,
        decimal surcharges = 0m,
        decimal credit = 0m,
        decimal suspense = 0m,
        decimal refund = 0m,
        string? reason = null
    ) =>
        new(
            line.Number,
            line.BankCode,
            line.TransactionId,
            line.AffiliationNumber,
            line.PaidOn,
            line.Amount,
            outcome,
            contributions,
            surcharges,
            credit,
            suspense,
            refund,
            reason
        );
}
