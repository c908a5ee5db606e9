using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Contributions;
using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// One payment decided against its account and the receipt of its bank transaction (either null when absent):
/// the answer, and when it is recorded, its events and its new receipt. Pure; the payments' group commit
/// (<see cref="RecordPaymentBatchHandler"/>) takes one step per payment of a batch.
/// </summary>
public sealed record PaymentStep(PaymentOutcome Outcome, IReadOnlyList<object> Events, PaymentReceipt? Receipt)
{
    public static PaymentStep Decide(
        RecordAccountPayment command,
        Account? account,
        PaymentReceipt? receipt,
        LocalDate today,
        Regime regime
    )
    {
        var payment = command.Payment;
        if (receipt is not null)
            return Answer(
                receipt.Fingerprint == PaymentReceipt.FingerprintOf(command.AffiliationNumber, payment)
                    ? PaymentOutcome.AlreadyRecorded(receipt.Response)
                    : PaymentOutcome.Refused(
                        Refusal.Conflict(
                            "reference",
                            $"The reference '{payment.Reference}' of bank "
                                + $"{payment.BankCode} was already recorded with different data."
                        )
                    )
            );
        if (account is null)
            return Answer(PaymentOutcome.Refused(Problems.UnknownAccountRefusal(command.AffiliationNumber)));

        var decision = Payments.Decide(account, payment, today, regime);
        if (decision.Refusals.Count > 0)
            return Answer(PaymentOutcome.Refused(decision.Refusals));
        var recorded = PaymentReceipt.ForPayment(
            command.AffiliationNumber,
            payment,
            decision.Allocation!,
            account,
            regime
        );
        return new PaymentStep(PaymentOutcome.Recorded(recorded.Response), decision.Events, recorded);
    }

    private static PaymentStep Answer(PaymentOutcome outcome) => new(outcome, [], null);
}
