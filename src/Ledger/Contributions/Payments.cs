using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

/// <summary>The payments API's side of <see cref="PaymentJudge"/>: what is not accepted is refused, and nothing is
/// recorded.</summary>
public static class Payments
{
    /// <summary>Checks that need no account: the shape of the money and the date.</summary>
    public static IEnumerable<Refusal> CheckShape(RecordPayment command, LocalDate today)
    {
        if (command.Amount <= 0)
            yield return Refusal.Invalid("amount", "The amount must be positive.");
        else if (!Money.IsWholeCents(command.Amount))
            yield return Refusal.Invalid("amount", "The amount cannot have more than two decimals.");
        if (command.PaidOn > today)
            yield return Refusal.Invalid("paidOn", "The payment date cannot be in the future.");
        if (string.IsNullOrWhiteSpace(command.BankCode))
            yield return Refusal.Invalid("bankCode", "The bank code is required.");
        if (string.IsNullOrWhiteSpace(command.Reference))
            yield return Refusal.Invalid("reference", "The bank reference is required.");
    }

    /// <summary>
    /// Decides a payment made through the API: either refusals, or the accepted judgement. A payment that would
    /// pay a period past the last payable period is refused whole (nothing is recorded).
    /// </summary>
    public static PaymentDecision Decide(Account account, RecordPayment command, LocalDate today, Regime regime)
    {
        var refusals = CheckShape(command, today).ToList();
        if (refusals.Count > 0)
            return new(refusals, null);

        var judgement = PaymentJudge.Judge(account, command.Source, command.Amount, regime);
        return judgement.Verdict switch
        {
            PaymentVerdict.Accepted => new([], judgement),
            // A date the rules refuse whatever the account's coverage: a bad value (400), like a date in the future.
            PaymentVerdict.BeforeEnrolment => Refused(
                Refusal.Invalid(
                    "paidOn",
                    $"The payment date is before the enrolment on {Dates.Format(judgement.EnrolledOn)}."
                )
            ),
            PaymentVerdict.NoOpenEpisode => Refused(
                Refusal.Unprocessable(
                    "affiliationNumber",
                    $"The coverage episode ended on {Dates.Format(judgement.End!.EffectiveOn)} ({judgement.End.Reason}); "
                        + $"there was no open episode to pay on {Dates.Format(command.PaidOn)}. "
                        + (
                            account.Episodes.FirstOrDefault(e => e.EnrolledOn > command.PaidOn) is { } next
                                ? $"The next episode began with the enrolment on {Dates.Format(next.EnrolledOn)}."
                                : "The person may enrol again."
                        )
                )
            ),
            _ => Refused(
                Refusal.Unprocessable(
                    "amount",
                    $"The amount would pay periods after {Periods.Format(judgement.LastPayablePeriod!.Value)}, the last period "
                        + $"payable on {Dates.Format(command.PaidOn)} (at most {regime.Rules.AdvanceMonths} months ahead, and not past "
                        + "a return window, a withdrawal, or the end of an episode followed by a new enrolment)."
                )
            ),
        };
    }

    private static PaymentDecision Refused(Refusal refusal) => new([refusal], null);
}
