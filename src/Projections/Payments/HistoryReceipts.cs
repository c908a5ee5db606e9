using NodaTime;
using Salex.Ledger;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Projections.Payments;

/// <summary>
/// The receipts of an account's history loaded from another system (<c>ChainedBulkLoad</c>): one per bank transaction
/// its events hold money of, the receipt the payments API would have written when it recorded them. Without them a
/// historical transaction sent again would be recorded a second time, and the money audit would find money without a
/// receipt. Pure: the stream's events in order, the regime (for the due dates of the answer's lines).
/// </summary>
public static class HistoryReceipts
{
    /// <summary>The receipt's <see cref="PaymentReceipt.Origin"/>: recorded before this ledger, loaded with its history.</summary>
    public const string Origin = "history";

    public static IReadOnlyList<PaymentReceipt> Of(string affiliationNumber, IEnumerable<object> events, Regime regime)
    {
        Account? account = null;
        var transactions = new List<Transaction>();
        var byKey = new Dictionary<string, Transaction>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (SourceOf(e) is { } source)
            {
                var key = PaymentReceipt.KeyOf(source.BankCode, source.Reference);
                if (!byKey.TryGetValue(key, out var transaction))
                {
                    // The answer is about the account as it stood when the transaction's first money was recorded.
                    transactions.Add(byKey[key] = transaction = new Transaction(key, source, account));
                }
                transaction.Add(e);
            }
            account = account is null ? (e is Enrolled enrolled ? Account.Open(enrolled) : null) : account.After(e);
        }
        return [.. transactions.Select(t => t.Receipt(affiliationNumber, regime))];
    }

    /// <summary>The bank transaction whose money an event holds (what the money audit counts per transaction).</summary>
    public static PaymentSource? SourceOf(object e) =>
        e switch
        {
            ContributionPaid c => c.Source,
            AdvancePaid a => a.Source,
            CreditRecorded c => c.Source,
            CreditApplied c => c.Source,
            RefundDue r => r.Source,
            _ => null,
        };

    private sealed class Transaction(string key, PaymentSource source, Account? before)
    {
        private readonly List<PeriodPayment> _contributions = [];
        private readonly List<PeriodPayment> _advances = [];
        private int? _episode;
        private decimal _creditApplied,
            _kept,
            _refund;

        public void Add(object e)
        {
            switch (e)
            {
                case ContributionPaid c:
                    _contributions.AddRange(c.Periods);
                    _episode ??= c.Episode;
                    break;
                case AdvancePaid a:
                    _advances.AddRange(a.Periods);
                    _episode ??= a.Episode;
                    break;
                case CreditRecorded c:
                    _kept += c.Amount;
                    break;
                case CreditApplied c:
                    _creditApplied += c.Amount;
                    break;
                case RefundDue r:
                    _refund += r.Amount;
                    break;
            }
        }

        public PaymentReceipt Receipt(string affiliationNumber, Regime regime)
        {
            var periods = _contributions.Concat(_advances).ToList();
            var (bases, surcharges) = (periods.Sum(p => p.Base), periods.Sum(p => p.Surcharge));
            // What the bank sent: the periods, the credit kept, the refund, less the credit already on the account.
            var amount = bases + surcharges + _kept + _refund - _creditApplied;
            var allocation =
                periods.Count == 0 && _creditApplied == 0m && _kept == 0m
                    ? null
                    : new PaymentAllocation(
                        source,
                        amount,
                        _creditApplied,
                        _contributions,
                        _advances,
                        _kept,
                        StoppedAtAdvanceLimit: _refund > 0m,
                        LastPayablePeriod: periods.Count > 0 ? periods[^1].Period : source.PaidOn.ToYearMonth()
                    )
                    {
                        Episode = _episode,
                    };
            // Money applied whole has the fingerprint of the payment that brought it, so the same payment sent again
            // answers 200 with this answer; money owed back (or of a channel this ledger does not know) has one of its
            // own, so it answers 409, as a bank file's line owed back does.
            var fingerprint =
                _refund == 0m && RecordPayment.ChannelOf(source.Channel) is { } channel
                    ? PaymentReceipt.FingerprintOf(
                        affiliationNumber,
                        new RecordPayment(source.PaidOn, amount, source.BankCode, source.Reference, channel)
                    )
                    : $"{Origin}|owed back|{affiliationNumber}";
            return new PaymentReceipt(
                key,
                affiliationNumber,
                fingerprint,
                PaymentResponse.Of(affiliationNumber, source, amount, allocation, _kept, _refund, before, regime)
            )
            {
                Bank = source.BankCode,
                Day = Dates.Format(source.PaidOn),
                Trail = new MoneyTrail(amount, bases, surcharges, _kept - _creditApplied, 0m, _refund),
                Origin = Origin,
            };
        }
    }
}
