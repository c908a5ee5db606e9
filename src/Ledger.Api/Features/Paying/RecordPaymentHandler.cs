using Salex.Projections.Payments;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// A payment through the aggregate handler workflow: Wolverine loads the account for writing and the receipt of the
/// bank transaction, the domain decides, and the events and the new receipt commit together. A payment racing
/// another on the same account (or the same reference) loses the version check and runs again on the new state
/// (<see cref="Conflicts.RetryLostRaces"/>), so both are applied in order and no period is paid twice.
/// </summary>
public static class RecordPaymentHandler
{
    public static (PaymentOutcome, Events, IMartenOp) Handle(RecordAccountPayment command,
        [WriteAggregate(nameof(RecordAccountPayment.AffiliationNumber), Required = false)] Account? account,
        [Entity(nameof(RecordAccountPayment.ReceiptKey), Required = false)] PaymentReceipt? receipt,
        IClock clock, Regime regime)
    {
        var payment = command.Payment;
        if (receipt is not null)
            return (receipt.Fingerprint == PaymentReceipt.FingerprintOf(command.AffiliationNumber, payment)
                ? PaymentOutcome.AlreadyRecorded(receipt.Response)
                : PaymentOutcome.Refused(Refusal.Conflict("reference",
                    $"The reference '{payment.Reference}' of bank {payment.BankCode} was already recorded with different data.")),
                [], MartenOps.Nothing());
        if (account is null)
            return (PaymentOutcome.Refused(Problems.UnknownAccountRefusal(command.AffiliationNumber)), [], MartenOps.Nothing());

        var decision = Payments.Decide(account, payment, ElSalvador.Today(clock), regime);
        if (decision.Refusals.Count > 0) return (PaymentOutcome.Refused(decision.Refusals), [], MartenOps.Nothing());
        var recorded = PaymentReceipt.ForPayment(command.AffiliationNumber, payment, decision.Allocation!, account, regime);
        return (PaymentOutcome.Recorded(recorded.Response), new Events(decision.Events), MartenOps.Insert(recorded));
    }
}
