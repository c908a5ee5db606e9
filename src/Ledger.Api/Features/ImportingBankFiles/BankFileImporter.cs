using Salex.Projections.Payments;
using System.Security.Cryptography;
using System.Text;
using Marten;
using JasperFx.Events;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Banks;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// Imports one bank file, CSV (SPEC §5) or camt.053. The body is first copied to a temporary file while its
/// SHA-256 is computed (the file's id comes from its content, and memory stays bounded), then read one
/// payment at a time and committed in batches: each batch's account events, payment receipts, suspense
/// items and the file's own line events go in one transaction. A killed import loses at most its open
/// batch; importing the same bytes again skips every line already recorded on the file's stream and
/// completes the file.
/// </summary>
public sealed class BankFileImporter(IDocumentStore store, Regime regime, PartnerBanks banks, IClock clock)
{
    public const int BatchSize = 500;
    private const int MaxAttempts = 10;

    /// <summary>The file's reconciliation after this import, and how many lines an earlier import had already recorded.</summary>
    public sealed record Result(BankFileReconciliation File, int AlreadyRecorded);

    /// <summary>How far an import has gone: bytes of the file read, of its total, and lines recorded.</summary>
    public sealed record Progress(long BytesRead, long Bytes, int Lines);

    public async Task<Result> ImportAsync(Stream body, Func<IDocumentSession> openSession, CancellationToken ct, IProgress<Progress>? progress = null)
    {
        var path = Path.GetTempFileName();
        try
        {
            var copy = await CopyHashingAsync(body, path, ct);
            if (copy.Bytes == 0) throw new BankFileRefused("The file is empty: a bank file starts with the header line.");
            var fileId = "BF-" + copy.Sha256[..16];

            var now = clock.GetCurrentInstant();
            // A file from a bank the registry does not know is refused whole, naming the bank, before anything is
            // recorded: finance registers the bank and imports the same file again. (One more reading pass, no database.)
            // The same pass checks each statement against its own totals and finds the order the payments are applied
            // in.
            var scan = Scan(path, copy.Format, now);
            if (scan.UnknownBanks.Count > 0)
                throw new BankFileRefused($"The file names banks that are not registered partner banks: "
                    + $"{string.Join(", ", scan.UnknownBanks)}. "
                    + "Finance registers a bank with POST /api/banks; then import the file again.");

            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            // UTF-8, with or without a byte-order mark; lines end with \n or \r\n.
            using var text = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            using var reading = scan.Order.Apply(Entries(file, text, copy.Format, now)).GetEnumerator();
            // The first step reads the header (or the XML root): a file that is not a bank file is refused before anything is recorded.
            var more = reading.MoveNext();

            var state = await StartAsync(new BankFileReceived(fileId, copy.Sha256, copy.Bytes, copy.Format.ToString()), openSession, ct);
            var alreadyRecorded = state.Lines;
            if (state.Status == BankFileStatus.Completed) return new Result(state, alreadyRecorded);

            var batch = new List<BankFileEntry>(BatchSize);
            for (; more; more = reading.MoveNext())
            {
                // Entries up to the last recorded one were committed by an earlier import of these bytes.
                if (reading.Current.Number <= state.LastLine) continue;
                batch.Add(WithRegisteredCode(reading.Current));
                if (batch.Count < BatchSize) continue;
                state = await RecordBatchAsync(state, batch, openSession, ct);
                batch.Clear();
                progress?.Report(new Progress(file.Position, copy.Bytes, state.Lines));
            }
            _statements = scan.Statements;
            state = await RecordBatchAsync(state, batch, openSession, ct, complete: true);
            progress?.Report(new Progress(copy.Bytes, copy.Bytes, state.Lines));
            return new Result(state, alreadyRecorded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed record Copy(string Sha256, long Bytes, BankFileFormat Format);

    /// <summary>The statements' checks of the file being imported, recorded with its completion.</summary>
    private IReadOnlyList<StatementCheck>? _statements;

    /// <summary>The first reading of the file: unknown banks, the statements' checks, the booking order.</summary>
    private BankFileScan Scan(string path, BankFileFormat format, Instant now)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        using var text = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return BankFileScan.Of(statements => Entries(file, text, format, now, statements), banks);
    }

    private IEnumerable<BankFileEntry> Entries(Stream file, TextReader text, BankFileFormat format, Instant now,
        Action<StatementCheck>? statements = null) =>
        format == BankFileFormat.Camt053 ? Camt053.Read(file, now, banks, statements) : CsvBankFile.Read(text, now);

    /// <summary>A line under its bank's registered code (a camt.053 statement may name the bank by its BIC).</summary>
    private BankFileEntry WithRegisteredCode(BankFileEntry entry) =>
        entry.Line is { } line && banks.Find(line.BankCode) is { } bank && bank.Code != line.BankCode
            ? entry with { Line = line with { BankCode = bank.Code } }
            : entry;

    /// <summary>
    /// Copies the body to disk, hashing it, telling CSV from XML by its first bytes, and checking that a CSV
    /// file is UTF-8: a file with bytes that are not is refused whole, rather than read with guessed characters.
    /// </summary>
    private static async Task<Copy> CopyHashingAsync(Stream body, string path, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[64 * 1024];
        var chars = new char[buffer.Length];
        BankFileFormat? format = null;
        long? notUtf8At = null;
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            format ??= Camt053.FormatOf(buffer.AsSpan(0, read));
            notUtf8At ??= FirstInvalidUtf8(utf8, buffer, read, chars, total);
            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
            total += read;
        }
        // XML names its own encoding and the XML reader checks it; CSV must be UTF-8.
        if ((format ?? BankFileFormat.Csv) == BankFileFormat.Csv && notUtf8At is { } at)
            throw new BankFileRefused($"The file is not UTF-8: the byte at offset {at} is not part of a UTF-8 character.");
        return new Copy(Convert.ToHexStringLower(hash.GetHashAndReset()), total, format ?? BankFileFormat.Csv);
    }

    private static long? FirstInvalidUtf8(Decoder utf8, byte[] bytes, int count, char[] chars, long offset)
    {
        try
        {
            utf8.Convert(bytes, 0, count, chars, 0, chars.Length, flush: false, out _, out _, out _);
            return null;
        }
        catch (DecoderFallbackException e)
        {
            return offset + Math.Max(e.Index, 0);
        }
    }

    /// <summary>The file's reconciliation so far; a file seen for the first time starts its stream.</summary>
    private async Task<BankFileReconciliation> StartAsync(BankFileReceived received, Func<IDocumentSession> openSession, CancellationToken ct)
    {
        var fileId = received.FileId;
        await using var session = openSession();
        session.SetHeader("bankFile", fileId);
        var existing = await session.LoadAsync<BankFileReconciliation>(fileId, ct);
        if (existing is not null) return existing;
        var state = BankFileReconciliation.Start(received);
        session.Events.StartStream(fileId, received);
        session.Store(state);
        try
        {
            await session.SaveChangesAsync(ct);
            return state;
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            // The same file arrived twice at once: the other import started it.
            await using var again = openSession();
            return await again.LoadAsync<BankFileReconciliation>(fileId, ct) ?? throw new InvalidOperationException($"The bank file {fileId} could not be started.", e);
        }
    }

    /// <summary>
    /// Decides and commits one batch. Someone else writing one of its accounts (the payments API) or this
    /// file (the same file imported at once) makes the batch decide again on the new state.
    /// </summary>
    private async Task<BankFileReconciliation> RecordBatchAsync(
        BankFileReconciliation state, IReadOnlyList<BankFileEntry> batch, Func<IDocumentSession> openSession,
        CancellationToken ct, bool complete = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = openSession();
            session.SetHeader("bankFile", state.Id);
            var pending = batch.Where(l => l.Number > state.LastLine).ToList();
            var lines = await DecideAsync(session, state, pending, ct);
            var next = lines.Aggregate(state, (s, e) => s.After(e));
            var events = new List<object>(lines);
            if (complete && next.Status != BankFileStatus.Completed)
            {
                var completed = new BankFileCompleted(next.Lines, next.Received, next.Balanced, _statements);
                events.Add(completed);
                next = next.After(completed);
            }
            if (events.Count == 0) return state;
            // One append with the expected version: two imports of one file cannot both record these lines.
            session.Events.Append(state.Id, next.Version, events.ToArray());
            session.Store(next);
            try
            {
                await session.SaveChangesAsync(ct);
                return next;
            }
            catch (Exception e) when (Conflicts.IsLostRace(e) && attempt < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
                await using var reader = store.QuerySession();
                state = await reader.LoadAsync<BankFileReconciliation>(state.Id, ct) ?? state;
                if (state.Status == BankFileStatus.Completed) return state;
            }
        }
    }

    /// <summary>Adds the batch's account events and documents to the session, and answers the file's line events.</summary>
    private async Task<IReadOnlyList<BankFileLineRecorded>> DecideAsync(
        IDocumentSession session, BankFileReconciliation state, IReadOnlyList<BankFileEntry> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return [];
        var payments = batch.Where(p => p.Line is not null).Select(p => p.Line!).ToList();

        // One round trip for the receipts (under each line's key, and under its key for a conflict) and one for the
        // accounts of the whole batch.
        var keys = payments.SelectMany(p => new[] { KeyOf(p), KeyOf(p, TransactionKey.Conflicting(p.TransactionId,
            p.Facts)) })
            .Distinct().ToArray();
        var inLedger = (await session.LoadManyAsync<PaymentReceipt>(ct, keys)).ToDictionary(r => r.Id, FactsOf);
        var query = session.CreateBatchQuery();
        var fetches = payments.Select(p => p.AffiliationNumber).Distinct()
            .ToDictionary(n => n, n => query.Events.FetchForWriting<Account>(n));
        await query.Execute(ct);
        var streams = new Dictionary<string, IEventStream<Account>>();
        foreach (var (n, fetch) in fetches) streams[n] = await fetch;

        // The same account may pay several times in a batch: each line is decided on the state after the
        // previous one, kept here in memory until the batch commits.
        var accounts = streams.Where(s => s.Value.Aggregate is not null).ToDictionary(s => s.Key, s => s.Value.Aggregate!);
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
                if (!inLedger.ContainsKey(key)) decision = BankFileDecisions.Conflict(line, reference, known);
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
                session.Insert(PaymentReceipt.ForFileLine(state.Id, line, decision, before, regime));
            }
            else
            {
                session.Insert(PaymentReceipt.ForFileLine(state.Id, line, decision, null, regime));
            }
            if (decision.Recorded.Suspense > 0m) session.Insert(SuspenseItemOf(state.Id, line, decision.Recorded));
        }

        foreach (var e in lineEvents) session.Store(new BankFileLineRow(BankFileLineRow.IdOf(state.Id, e.Line), state.Id, e));
        return lineEvents;
    }

    public static string SuspenseIdOf(string fileId, int line) => $"{fileId}-{line}";

    private static string KeyOf(BankFileLine line) => PaymentReceipt.KeyOf(line.BankCode, line.TransactionId);

    private static string KeyOf(BankFileLine line, string reference) => PaymentReceipt.KeyOf(line.BankCode, reference);

    /// <summary>The facts a receipt holds of its transaction (the same whether it was applied, held or assigned
    /// later).</summary>
    private static TransactionFacts FactsOf(PaymentReceipt r) => new(r.Response.Amount, r.Response.PaidOn);

    /// <summary>Money held in suspense, with why and what the bank said of the payer.</summary>
    private static SuspenseItem SuspenseItemOf(string fileId, BankFileLine line, BankFileLineRecorded recorded) =>
        new(SuspenseIdOf(fileId, line.Number), fileId, line.Number, line.BankCode, line.TransactionId,
            line.AffiliationNumber, line.PaidOn,
            line.Amount, line.Source.Channel, SuspenseStatus.Open,
            Reason: recorded.Reason, DebtorName: line.DebtorName, DebtorAccount: line.DebtorAccount,
                Remittance: line.Remittance);
}
