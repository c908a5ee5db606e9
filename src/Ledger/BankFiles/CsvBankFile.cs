using System.Text;
using NodaTime;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// Reads a CSV bank file (SPEC §5) one line at a time, so a file of a million lines is never in memory at
/// once. Lines end with \n or \r\n. A line longer than <see cref="MaxLineLength"/> is malformed and skipped
/// to its end without being held whole.
/// </summary>
public static class CsvBankFile
{
    public const int MaxLineLength = Limits.BankFileLine;

    /// <summary>The file's payments, lazily. The first step checks the header and throws <see cref="BankFileRefused"/>
    /// if it is not there.</summary>
    public static IEnumerable<BankFileEntry> Read(TextReader reader, Instant now)
    {
        var number = 0;
        foreach (var (text, tooLong) in Lines(reader))
        {
            number++;
            if (number == 1)
            {
                if (tooLong || !BankFileLines.IsHeader(text))
                    throw new BankFileRefused($"The first line must be the header '{BankFileLines.Header}'.");
                continue;
            }
            if (tooLong)
                yield return new BankFileEntry(
                    number,
                    null,
                    new MalformedLine(
                        number,
                        $"The line is longer than {MaxLineLength} characters.",
                        Limits.Printable(text, 100) + "…"
                    )
                );
            else if (!string.IsNullOrWhiteSpace(text))
                yield return BankFileEntry.Of(number, BankFileLines.Parse(number, text, now));
        }
        if (number == 0)
            throw new BankFileRefused("The file is empty: a bank file starts with the header line.");
    }

    /// <summary>The lines of the text, each cut at <see cref="MaxLineLength"/> characters (then flagged too
    /// long).</summary>
    private static IEnumerable<(string Text, bool TooLong)> Lines(TextReader reader)
    {
        var line = new StringBuilder(256);
        var tooLong = false;
        var buffer = new char[16 * 1024];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '\n')
                {
                    yield return Ended(line, tooLong);
                    line.Clear();
                    tooLong = false;
                }
                // One character beyond the limit is kept: it may be the \r of \r\n.
                else if (line.Length <= MaxLineLength)
                    line.Append(c);
                else
                    tooLong = true;
            }
        }
        if (line.Length > 0 || tooLong)
            yield return Ended(line, tooLong);
    }

    private static (string Text, bool TooLong) Ended(StringBuilder line, bool tooLong)
    {
        if (line.Length > 0 && line[^1] == '\r')
            line.Length--;
        return (line.ToString(), tooLong || line.Length > MaxLineLength);
    }
}
