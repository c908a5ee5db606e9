using System.Globalization;
using System.Text;
using NodaTime;

namespace Salex.Ledger;

/// <summary>
/// Every limit on what the ledger accepts, in one place: the HTTP edge, the bank-file readers and the README
/// quote these. A value past a limit is refused before it reaches the database (which refuses NUL characters,
/// index keys over ~2.7 kB and numbers past <c>decimal</c>, and would answer with a bare error).
/// </summary>
public static class Limits
{
    /// <summary>A person's full name (insured or beneficiary).</summary>
    public const int Name = 200;

    /// <summary>An e-mail address (RFC 5321's limit on a forward path).</summary>
    public const int Email = 254;

    /// <summary>A bank code or a country code: ISO 20022's Max35Text, the longest a camt.053 servicer id can
    /// be.</summary>
    public const int Code = 35;

    /// <summary>
    /// A bank reference (transaction id). ISO 20022 references are Max35Text; 64 leaves room for the "/n" that
    /// tells apart the transactions of one camt.053 entry, and for API callers' own references.
    /// </summary>
    public const int Reference = 64;

    /// <summary>Remittance text kept as the payer of money held in suspense (ISO 20022 Max140Text).</summary>
    public const int Remittance = 140;

    /// <summary>An affiliation number, an id in a route or any other query value.</summary>
    public const int QueryValue = 100;

    /// <summary>Why money in suspense was paid back, and other free-text reasons.</summary>
    public const int Reason = 500;

    /// <summary>Beneficiaries named in one enrolment: a spouse and children under 12, generously counted.</summary>
    public const int Beneficiaries = 20;

    /// <summary>Affiliation numbers in one <c>POST /api/rights/query</c>.</summary>
    public const int RightsQueryBatch = 1000;

    /// <summary>Money in one payment, API or bank-file line, and a minimum wage: far above any real one, far below
    /// overflow.</summary>
    public const decimal Amount = 100_000m;

    /// <summary>
    /// The largest credit a bank-file line may carry. A readable credit above <see cref="Amount"/> (a statement's
    /// collective credit, a transfer meant for another account) is money that arrived: it is held in suspense for
    /// finance, never dropped. Beyond this it is a typing or format error and the line is malformed.
    /// </summary>
    public const decimal BankCredit = 1_000_000_000m;

    /// <summary>Pages of a paged list (the page number times the page size must not overflow).</summary>
    public const int Page = 1_000_000;

    /// <summary>Business dates, periods and instants lie in these years: far past and far future are typing
    /// mistakes.</summary>
    public const int FirstYear = 1900;

    public const int LastYear = 2199;

    /// <summary>A JSON request body (an enrolment with 20 beneficiaries is about 3 kB; 1,000 numbers about 14
    /// kB).</summary>
    public const long JsonBodyBytes = 64 * 1024;

    /// <summary>A bank file upload: 100,000 CSV lines are about 7 MB, as camt.053 about 100 MB.</summary>
    public const long BankFileBytes = 256L * 1024 * 1024;

    /// <summary>A line of a CSV bank file; a longer line is malformed without being held in memory.</summary>
    public const int BankFileLine = 4096;

    public static bool IsInRange(LocalDate date) => date.Year is >= FirstYear and <= LastYear;

    public static bool IsInRange(YearMonth period) => period.Year is >= FirstYear and <= LastYear;

    public static bool IsInRange(Instant instant) => IsInRange(instant.InUtc().Date);

    public static string DateRange => $"between {FirstYear}-01-01 and {LastYear}-12-31";

    /// <summary>
    /// Why a text cannot be stored as given, or null: longer than <paramref name="maxLength"/>, or holding a
    /// character with no place in a ledger field — controls (NUL, line breaks, tabs), invisible format
    /// characters (bidi overrides such as U+202E, zero-width spaces, byte-order marks), line and paragraph
    /// separators, half of a surrogate pair, or U+FFFD (damaged text). The text is not echoed: it may be the problem.
    /// </summary>
    public static string? TextProblem(string text, int maxLength)
    {
        // Characters as a person counts them (code points): "😀" is one, though .NET stores it as two UTF-16 units.
        if (text.Length > maxLength && CodePoints(text) is var given && given > maxLength)
            return $"At most {maxLength} characters ({given} given).";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (IsRefused(c))
                return $"The character U+{(int)c:X4} at position {i + 1} is not allowed (control, format or invalid character).";
        }
        return null;
    }

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
            count++;
        return count;
    }

    /// <summary>The text with every refused character replaced by U+FFFD, cut to <paramref name="maxLength"/>: safe to
    /// keep and show.</summary>
    public static string Printable(string text, int maxLength)
    {
        var cut = text.Length > maxLength ? text[..maxLength] : text;
        if (TextProblem(cut, int.MaxValue) is null)
            return cut;
        var clean = new StringBuilder(cut.Length);
        for (var i = 0; i < cut.Length; i++)
        {
            var c = cut[i];
            if (char.IsHighSurrogate(c) && i + 1 < cut.Length && char.IsLowSurrogate(cut[i + 1]))
            {
                clean.Append(c).Append(cut[++i]);
                continue;
            }
            clean.Append(IsRefused(c) ? '\uFFFD' : c);
        }
        return clean.ToString();
    }

    // U+FFFD stands for a character lost in decoding (or a control byte a camt.053 reader replaced): damaged text.
    private static bool IsRefused(char c) =>
        c == '\uFFFD'
        || char.GetUnicodeCategory(c)
            is UnicodeCategory.Control
                or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Surrogate;
}
