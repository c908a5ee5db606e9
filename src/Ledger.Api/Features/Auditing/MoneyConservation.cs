using System.Globalization;
using Marten;
using Marten.Events;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.BankFiles;
using Salex.Projections.Integrity;
using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// Checks that every cent received is in exactly one place. For each bank transaction (one payment receipt):
/// its money is on at most one account, and what the account streams hold of it, plus its suspense still
/// open or paid back, is what the bank sent. Each suspense item is settled (assigned or refunded) at most
/// once, for its own amount. And the sums over the ledger agree. Reads the events, not the read models, so
/// a double spend that the read models hide (as the suspense race once did) is still found.
/// </summary>
public sealed class MoneyConservation(IDocumentStore store)
{
    public async Task<ConservationReport> CheckAsync(CancellationToken ct)
    {
        // Every read in one snapshot, so that it can run beside a live service: a payment committed between reading the
        // events and reading the receipts would otherwise show as a receipt without its money.
        await using var snapshot = await AuditSnapshot.OpenAsync(store, ct);
        var session = snapshot.Session;
        var problems = new List<string>();

        // Money the account streams hold, per transaction and per account.
        var onAccounts = new Dictionary<string, Dictionary<string, decimal>>();
        void Add(PaymentSource? source, string account, decimal amount)
        {
            if (source is null || amount == 0m)
                return;
            var key = PaymentReceipt.KeyOf(source.BankCode, source.Reference);
            var perAccount = onAccounts.TryGetValue(key, out var found) ? found : onAccounts[key] = [];
            perAccount[account] = perAccount.GetValueOrDefault(account) + amount;
        }

        // Suspense items as the files opened them, and their settlements.
        var suspense = new Dictionary<string, (string Key, decimal Amount)>();
        var settled = new Dictionary<string, List<(string How, decimal Amount)>>();

        var events = session
            .Events.QueryAllRawEvents()
            .Where(e =>
                e.EventTypesAre(
                    typeof(ContributionPaid),
                    typeof(AdvancePaid),
                    typeof(CreditRecorded),
                    typeof(CreditApplied),
                    typeof(RefundDue),
                    typeof(BankFileLineRecorded),
                    typeof(SuspenseAssigned),
                    typeof(SuspenseRefunded)
                )
            )
            .OrderBy(e => e.Sequence);
        await foreach (var e in events.ToAsyncEnumerable(ct))
        {
            var stream = e.StreamKey!;
            switch (e.Data)
            {
                case ContributionPaid c:
                    Add(c.Source, stream, c.Periods.Sum(p => p.Total));
                    break;
                case AdvancePaid a:
                    Add(a.Source, stream, a.Periods.Sum(p => p.Total));
                    break;
                case CreditRecorded c:
                    Add(c.Source, stream, c.Amount);
                    break;
                case CreditApplied c:
                    Add(c.Source, stream, -c.Amount);
                    break;
                // A refund without a source moves periods already counted into a refund: no new money.
                case RefundDue r:
                    Add(r.Source, stream, r.Amount);
                    break;
                case BankFileLineRecorded { Suspense: > 0m } line:
                    suspense[SuspenseItem.IdOf(stream, line.Line)] = (
                        PaymentReceipt.KeyOf(line.BankCode!, line.TransactionId!),
                        line.Suspense
                    );
                    break;
                case SuspenseAssigned s:
                    Settle(s.SuspenseId, $"assigned to {s.AffiliationNumber}", s.Amount);
                    break;
                case SuspenseRefunded s:
                    Settle(s.SuspenseId, "refunded", s.Amount);
                    break;
            }
        }
        void Settle(string id, string how, decimal amount) =>
            (settled.TryGetValue(id, out var list) ? list : settled[id] = []).Add((how, amount));

        var openSuspense = new Dictionary<string, decimal>();
        var refundedSuspense = new Dictionary<string, decimal>();
        foreach (var (id, settlements) in settled)
        {
            if (!suspense.TryGetValue(id, out var item))
            {
                problems.Add(
                    $"suspense {id}: settled ({string.Join(", ", settlements.Select(s => s.How))}) but no file line held it"
                );
                continue;
            }
            if (settlements.Count > 1)
                problems.Add(
                    $"suspense {id}: settled {settlements.Count} times ({string.Join(", ", settlements.Select(s => s.How))})"
                );
            foreach (var (how, amount) in settlements.Where(s => s.Amount != item.Amount))
                problems.Add($"suspense {id}: {how} {Money(amount)}, but it held {Money(item.Amount)}");
            var refunded = settlements.Where(s => s.How == "refunded").Sum(s => s.Amount);
            if (refunded != 0m)
                refundedSuspense[item.Key] = refundedSuspense.GetValueOrDefault(item.Key) + refunded;
        }
        foreach (var (id, item) in suspense.Where(s => !settled.ContainsKey(s.Key)))
            openSuspense[item.Key] = openSuspense.GetValueOrDefault(item.Key) + item.Amount;

        var received = 0m;
        var transactions = 0;
        var receipted = new HashSet<string>();
        await foreach (var receipt in session.Query<PaymentReceipt>().ToAsyncEnumerable(ct))
        {
            transactions++;
            receipted.Add(receipt.Id);
            received += receipt.Trail.Amount;
            if (!receipt.Trail.Balanced)
                problems.Add($"transaction {receipt.Id}: its trail does not add up to {Money(receipt.Trail.Amount)}");
            var accounts = onAccounts.GetValueOrDefault(receipt.Id) ?? [];
            if (accounts.Count > 1)
                problems.Add(
                    $"transaction {receipt.Id}: its money is on {accounts.Count} accounts ({string.Join(", ", accounts.Keys.Order())})"
                );
            var found =
                accounts.Values.Sum()
                + openSuspense.GetValueOrDefault(receipt.Id)
                + refundedSuspense.GetValueOrDefault(receipt.Id);
            if (found != receipt.Trail.Amount)
                problems.Add(
                    $"transaction {receipt.Id}: {Money(receipt.Trail.Amount)} received, {Money(found)} found "
                        + $"(accounts {Money(accounts.Values.Sum())}, suspense {Money(openSuspense.GetValueOrDefault(receipt.Id))}, "
                        + $"refunded from suspense {Money(refundedSuspense.GetValueOrDefault(receipt.Id))})"
                );
        }
        foreach (
            var key in onAccounts.Keys.Concat(openSuspense.Keys).Where(k => !receipted.Contains(k)).Distinct().Order()
        )
            problems.Add($"transaction {key}: money on the ledger without a receipt");

        var totalOnAccounts = onAccounts.Values.SelectMany(a => a.Values).Sum();
        var (open, paidBack) = (openSuspense.Values.Sum(), refundedSuspense.Values.Sum());
        if (received != totalOnAccounts + open + paidBack)
            problems.Add($"ledger: {Money(received)} received, {Money(totalOnAccounts + open + paidBack)} found");
        return new ConservationReport(transactions, received, totalOnAccounts, open, paidBack, problems);
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
