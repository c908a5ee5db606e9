using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Banks;
using Salex.Projections.Payments;
using Wolverine;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>
/// Imports one bank file, CSV (SPEC §5) or camt.053. The body is first copied to a temporary file while its
/// SHA-256 is computed (the file's id comes from its content, and memory stays bounded), then read one
/// payment at a time and committed in batches (<see cref="RecordBankFileBatchHandler"/>, through Wolverine, which
/// retries a batch that lost a race): each batch's account events, payment receipts, suspense items and the
/// file's own line events go in one transaction. A killed import loses at most its open
/// batch; importing the same bytes again skips every line already recorded on the file's stream and
/// completes the file.
/// </summary>
public sealed class BankFileImporter(IMessageBus bus, DeliveryOptions stamps, PartnerBanks banks, IClock clock)
{
    public const int BatchSize = 500;

    /// <summary>How long one batch may take, retries of lost races included.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The file's reconciliation after this import, and how many lines an earlier import had already
    /// recorded.</summary>
    public sealed record Result(BankFileReconciliation File, int AlreadyRecorded);

    /// <summary>How far an import has gone: bytes of the file read, of its total, and lines recorded.</summary>
    public sealed record Progress(long BytesRead, long Bytes, int Lines);

    public async Task<Result> ImportAsync(Stream body, CancellationToken ct, IProgress<Progress>? progress = null)
    {
        var path = Path.GetTempFileName();
        try
        {
            var copy = await CopyHashingAsync(body, path, ct);
            if (copy.Bytes == 0)
                throw new BankFileRefused("The file is empty: a bank file starts with the header line.");
            var fileId = "BF-" + copy.Sha256[..16];

            var now = clock.GetCurrentInstant();
            // A file from a bank the registry does not know is refused whole, naming the bank, before anything is
            // recorded: finance registers the bank and imports the same file again. (One more reading pass, no
            // database.)
            // The same pass checks each statement against its own totals and finds the order the payments are applied
            // in.
            var scan = Scan(path, copy.Format, now);
            if (scan.UnknownBanks.Count > 0)
                throw new BankFileRefused(
                    $"The file names banks that are not registered partner banks: "
                        + $"{string.Join(", ", scan.UnknownBanks)}. "
                        + "Finance registers a bank with POST /api/banks; then import the file again."
                );

            await using var file = new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.Read,
                64 * 1024,
                FileOptions.SequentialScan
            );
            // UTF-8, with or without a byte-order mark; lines end with \n or \r\n.
            using var text = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            using var reading = scan.Order.Apply(Entries(file, text, copy.Format, now)).GetEnumerator();
            // The first step reads the header (or the XML root): a file that is not a bank file is refused before
            // anything is recorded.
            var more = reading.MoveNext();

            var state = await StartAsync(
                new BankFileReceived(fileId, copy.Sha256, copy.Bytes, copy.Format.ToString()),
                ct
            );
            var alreadyRecorded = state.Lines;
            if (state.Status == BankFileStatus.Completed)
                return new Result(state, alreadyRecorded);

            var batch = new List<BankFileEntry>(BatchSize);
            for (; more; more = reading.MoveNext())
            {
                // Entries up to the last recorded one were committed by an earlier import of these bytes.
                if (reading.Current.Number <= state.LastLine)
                    continue;
                batch.Add(WithRegisteredCode(reading.Current));
                if (batch.Count < BatchSize)
                    continue;
                state = await RecordBatchAsync(fileId, batch, ct);
                batch.Clear();
                progress?.Report(new Progress(file.Position, copy.Bytes, state.Lines));
            }
            state = await RecordBatchAsync(fileId, batch, ct, completion: scan.Statements);
            progress?.Report(new Progress(copy.Bytes, copy.Bytes, state.Lines));
            return new Result(state, alreadyRecorded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed record Copy(string Sha256, long Bytes, BankFileFormat Format);

    /// <summary>The first reading of the file: unknown banks, the statements' checks, the booking order.</summary>
    private BankFileScan Scan(string path, BankFileFormat format, Instant now)
    {
        using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            64 * 1024,
            FileOptions.SequentialScan
        );
        using var text = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return BankFileScan.Of(statements => Entries(file, text, format, now, statements), banks);
    }

    private IEnumerable<BankFileEntry> Entries(
        Stream file,
        TextReader text,
        BankFileFormat format,
        Instant now,
        Action<StatementCheck>? statements = null
    ) => format == BankFileFormat.Camt053 ? Camt053.Read(file, now, banks, statements) : CsvBankFile.Read(text, now);

    /// <summary>A line under its bank's registered code (a camt.053 statement may name the bank by its BIC).</summary>
    private BankFileEntry WithRegisteredCode(BankFileEntry entry) =>
        entry.Line is { } line && banks.Find(line.BankCode) is { } bank && bank.Code != line.BankCode
            ? entry with
            {
                Line = line with { BankCode = bank.Code },
            }
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
            throw new BankFileRefused(
                $"The file is not UTF-8: the byte at offset {at} is not part of a UTF-8 character."
            );
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
    private async Task<BankFileReconciliation> StartAsync(BankFileReceived received, CancellationToken ct) =>
        await bus.InvokeAsync<BankFileReconciliation>(new StartBankFile(received), stamps, ct, CommandTimeout);

    /// <summary>Decides and commits one batch (<see cref="RecordBankFileBatchHandler"/>).</summary>
    private async Task<BankFileReconciliation> RecordBatchAsync(
        string fileId,
        IReadOnlyList<BankFileEntry> batch,
        CancellationToken ct,
        IReadOnlyList<StatementCheck>? completion = null
    ) =>
        await bus.InvokeAsync<BankFileReconciliation>(
            new RecordBankFileBatch(fileId, [.. batch], completion),
            stamps,
            ct,
            CommandTimeout
        );
}
