using JasperFx.Events;
using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Salex.Projections.Payments;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// Decides and commits one batch of a bank file's lines: the receipts and accounts of the whole batch read in one
/// round trip each, each line decided on the state the previous ones left, then the account events, receipts,
/// suspense items, line rows and the file's own events (appended at the file's version read: two imports of one file
/// cannot both record these lines) in one transaction. Someone else writing one of its accounts (the payments API)
/// or this file (the same file imported at once) makes the commit lose its race: Wolverine runs the handler again on
/// the new state (<see cref="Conflicts.RetryLostRaces"/>).
/// </summary>
public static class RecordBankFileBatchHandler
{
    public static async Task<BankFileReconciliation> Handle(
        RecordBankFileBatch command,
        IDocumentSession session,
        Regime regime,
        IClock clock,
        IMessageBus bus,
        CancellationToken ct
    )
    {
        session.SetHeader("bankFile", command.FileId);
        var state =
            await session.LoadAsync<BankFileReconciliation>(command.FileId, ct)
            ?? throw new InvalidOperationException($"The bank file {command.FileId} was not started.");
        if (state.Status == BankFileStatus.Completed)
            return state;
        var pending = command.Entries.Where(l => l.Number > state.LastLine).ToList();
        var touched = new Dictionary<string, (Account Before, Account After)>();
        var lines = await DecideAsync(session, state, pending, regime, touched, ct);
        var next = lines.Aggregate(state, (s, e) => s.After(e));
        var events = new List<object>(lines);
        if (command.Completion is { } statements)
        {
            var completed = new BankFileCompleted(next.Lines, next.Received, next.Balanced, statements);
            events.Add(completed);
            next = next.After(completed);
        }
        if (events.Count == 0)
            return state;
        session.Events.Append(state.Id, next.Version, events.ToArray());
        // The changes of standing the batch made, one message in the outbox of this session (stored with the events).
        var today = ElSalvador.Today(clock);
        var now = clock.GetCurrentInstant();
        await RightsChangeOutbox.PublishAsync(
            bus,
            [
                .. touched.Values.SelectMany(t =>
                    RightsChangeOutbox.Of(t.Before, t.After, today, regime, RightsChangeCause.BankFile, now)
                ),
            ]
        );
        await session.SaveChangesAsync(ct);
        return next;
    }

    /// <summary>Adds the batch's account events and documents to the session, and answers the file's line
    /// events.</summary>
    private static async Task<IReadOnlyList<BankFileLineRecorded>> DecideAsync(
        IDocumentSession session,
        BankFileReconciliation state,
        IReadOnlyList<BankFileEntry> batch,
        Regime regime,
        Dictionary<string, (Account Before, Account After)> touched,
        CancellationToken ct
    )
    {
        if (batch.Count == 0)
            return [];
        var payments = batch.Where(p => p.Line is not null).Select(p => p.Line!).ToList();

        // One round trip for the receipts (under each line's key, and under its key for a conflict) and the accounts
        // of the whole batch.
        var keys = payments
            .SelectMany(p => new[] { KeyOf(p), KeyOf(p, TransactionKey.Conflicting(p.TransactionId, p.Facts)) })
            .Distinct()
            .ToArray();
        var query = session.CreateBatchQuery();
        var receiptsRead = query.LoadMany<PaymentReceipt>().ById(keys);
        var accountsRead = AccountsForWriting.Enlist(query, payments.Select(p => p.AffiliationNumber));
        await query.Execute(ct);
        var inLedger = (await receiptsRead).ToDictionary(r => r.Id, FactsOf);
        var streams = await accountsRead();

        // The same account may pay several times in a batch: each line is decided on the state after the
        // previous one, kept here in memory until the batch commits.
        var accounts = streams
            .Where(s => s.Value.Aggregate is not null)
            .ToDictionary(s => s.Key, s => s.Value.Aggregate!);
        var lineEvents = new List<BankFileLineRecorded>(batch.Count);
        foreach (var (sequence, read, malformed) in batch)
        {
            if (malformed is not null)
            {
                lineEvents.Add(BankFileDecisions.InOrder(BankFileDecisions.Malformed(malformed), sequence));
                continue;
            }
            var (line, key, decision) = (read!, KeyOf(read!), (LineDecision?)null);
            if (inLedger.TryGetValue(key, out var known) && !known.SameAs(line.Facts))
            {
                // A known reference with other data: another transaction, held for finance under a reference of its
                // own.
                var reference = line.TransactionId;
                line = line with { TransactionId = TransactionKey.Conflicting(reference, line.Facts) };
                key = KeyOf(line);
                if (!inLedger.ContainsKey(key))
                    decision = BankFileDecisions.Conflict(line, reference, known);
            }
            if (!inLedger.TryAdd(key, line.Facts))
            {
                lineEvents.Add(BankFileDecisions.InOrder(BankFileDecisions.Duplicate(line).Recorded, sequence));
                continue;
            }
            decision ??= BankFileDecisions.Decide(line, accounts.GetValueOrDefault(line.AffiliationNumber), regime);
            lineEvents.Add(BankFileDecisions.InOrder(decision.Recorded, sequence));
            if (decision.AccountEvents.Count > 0)
            {
                var before = accounts[line.AffiliationNumber];
                streams[line.AffiliationNumber].AppendMany(decision.AccountEvents);
                accounts[line.AffiliationNumber] = decision.AccountEvents.Aggregate(before, (a, e) => a.After(e));
                var fetched = streams[line.AffiliationNumber].Aggregate!;
                touched[line.AffiliationNumber] = (
                    fetched,
                    accounts[line.AffiliationNumber] with
                    {
                        Version = fetched.Version + streams[line.AffiliationNumber].Events.Count,
                    }
                );
                session.Insert(PaymentReceipt.ForFileLine(state.Id, line, decision, before, regime));
            }
            else
            {
                session.Insert(PaymentReceipt.ForFileLine(state.Id, line, decision, null, regime));
            }
            if (decision.Recorded.Suspense > 0m)
                session.Insert(SuspenseItemOf(state.Id, line, decision.Recorded));
        }

        foreach (var e in lineEvents)
            session.Store(new BankFileLineRow(BankFileLineRow.IdOf(state.Id, e.Line), state.Id, e));
        return lineEvents;
    }

    private static string KeyOf(BankFileLine line) => PaymentReceipt.KeyOf(line.BankCode, line.TransactionId);

    private static string KeyOf(BankFileLine line, string reference) => PaymentReceipt.KeyOf(line.BankCode, reference);

    /// <summary>The facts a receipt holds of its transaction (the same whether it was applied, held or assigned
    /// later).</summary>
    private static TransactionFacts FactsOf(PaymentReceipt r) => new(r.Response.Amount, r.Response.PaidOn);

    /// <summary>Money held in suspense, with why and what the bank said of the payer.</summary>
    private static SuspenseItem SuspenseItemOf(string fileId, BankFileLine line, BankFileLineRecorded recorded) =>
        new(
            SuspenseItem.IdOf(fileId, line.Number),
            fileId,
            line.Number,
            line.BankCode,
            line.TransactionId,
            line.AffiliationNumber,
            line.PaidOn,
            line.Amount,
            line.Source.Channel,
            SuspenseStatus.Open,
            Reason: recorded.Reason,
            DebtorName: line.DebtorName,
            DebtorAccount: line.DebtorAccount,
            Remittance: line.Remittance
        );
}
