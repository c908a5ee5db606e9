using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Banks;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Ledger.Enrolment;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// Reads an ISO 20022 <c>camt.053</c> bank-to-customer statement (any version, .02 to .13: elements are matched by
/// local name) as the same payments a CSV file carries, one entry at a time so a big statement is never in memory
/// whole.
/// <list type="bullet">
/// <item>Only booked credit entries are payments. Debits, reversals and entries not yet booked are not money received
/// by the regime and are passed over (and counted in the statement's check).</item>
/// <item>Bank: <see cref="StatementBank"/> (the statement account, the servicer's code or BIC, from the registry; never
/// a tax id). A statement with no identifiable bank has its money held in suspense.</item>
/// <item>Reference: <see cref="TransactionKey"/> (entry references, the transaction's own reference, amount, account).
/// An entry that books several transactions (<c>NtryDtls/TxDtls</c>) gives one payment each, with its own amount,
/// references, bank transaction codes and remittance, when their amounts add up to the entry's; else one payment of
/// the entry's amount, held for review.</item>
/// <item>Paid at: <c>BookgDt/DtTm</c> (with an offset, or without: El Salvador's time) or <c>BookgDt/Dt</c> (that day
/// in
/// El Salvador); else the value date; else the statement's date, and the money is held for review.</item>
/// <item>Affiliation number: the first 9-digit number with a valid check digit in the remittance information
/// (unstructured <c>Ustrd</c> and structured <c>Strd</c> references), else in the additional transaction or entry
/// information; without one the money is held in suspense under the remittance text, for finance.</item>
/// <item>Channel: BRANCH for cash deposits (bank transaction code <c>CDPT</c> or <c>CASH</c> of the transaction, else
/// of
/// the entry), else ONLINE.</item>
/// <item>Each statement is checked against its own <c>TxsSummry/TtlCdtNtries</c> and balances (<see
/// cref="StatementCheck"/>).</item>
/// </list>
/// </summary>
public static partial class Camt053
{
    private const int MaxKeptText = 300;

    /// <summary>
    /// XML when the first character that is not white space (or a byte-order mark) is '&lt;', else CSV;
    /// null while the bytes seen so far are only white space.
    /// </summary>
    public static BankFileFormat? FormatOf(ReadOnlySpan<byte> start)
    {
        foreach (var b in start)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                continue;
            return b == (byte)'<' ? BankFileFormat.Camt053 : BankFileFormat.Csv;
        }
        return null;
    }

    /// <summary>
    /// The statement's payments, lazily. The first step checks the document and throws <see cref="BankFileRefused"/>
    /// if it is not a camt.053, or breaks before its first payment. XML that breaks after it (a cut file) ends the
    /// statement with one malformed entry saying where: the payments before it count, and the file can complete
    /// (a refusal then would leave the file half imported, and every import of it would stop at the same place).
    /// </summary>
    /// <param name="banks">The registry that identifies each statement's bank; null: the bank the statement
    /// names.</param>
    /// <param name="statements">Told each statement's check as its end is read.</param>
    public static IEnumerable<BankFileEntry> Read(
        Stream stream,
        Instant now,
        PartnerBanks? banks = null,
        Action<StatementCheck>? statements = null
    )
    {
        // Characters XML forbids (NUL, other controls) are let through to the text they are in, so that only
        // the entry holding one is malformed (Limits.TextProblem), not the whole statement.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            CheckCharacters = false,
        };
        using var reader = XmlReader.Create(new ControlBytesReplaced(stream), settings);
        XmlRead(reader.MoveToContent);
        // A statement may come in a business message envelope (AppHdr beside the Document).
        if (reader.LocalName is "BizMsgEnvlp" or "Envelope")
            while (XmlRead(reader.Read) && !(reader.NodeType == XmlNodeType.Element && reader.LocalName == "Document"))
            { }
        if (reader.LocalName != "Document")
            throw new BankFileRefused("The XML is not an ISO 20022 Document.");
        XmlRead(reader.Read);
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "BkToCstmrStmt")
            throw new BankFileRefused("The XML document is not a camt.053 bank-to-customer statement (BkToCstmrStmt).");

        var walk = new Walk(now, banks, statements);
        var read = new List<BankFileEntry>();
        string? broken = null;
        while (broken is null && !reader.EOF)
        {
            try
            {
                walk.Step(reader, read);
            }
            catch (XmlException e)
            {
                broken = e.Message;
            }
            foreach (var entry in read)
                yield return entry;
            read.Clear();
        }
        if (broken is not null)
        {
            // Broken before its first payment: nothing was read, so the file is refused whole, as a bad header is.
            if (walk.Count == 0)
                throw new BankFileRefused($"The XML statement cannot be read: {broken}");
            var number = walk.Next();
            yield return new BankFileEntry(
                number,
                null,
                new MalformedLine(
                    number,
                    Limits.Printable($"The XML statement cannot be read from here on: {broken}", Limits.Reason),
                    ""
                )
            );
        }
    }

    /// <summary>The walk through a file: the statement being read, and the payments' numbering.</summary>
    private sealed class Walk(Instant now, PartnerBanks? banks, Action<StatementCheck>? statements)
    {
        private int _number;
        private Instant? _created;
        private Camt053Statement? _statement;

        public int Next() => ++_number;

        public int Count => _number;

        /// <summary>Reads one node (a whole element of a statement, or one other node) and adds the payments it
        /// holds.</summary>
        public void Step(XmlReader reader, List<BankFileEntry> read)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Ntry")
            {
                var statement = _statement ??= new Camt053Statement(-1, _created);
                read.AddRange(statement.Payments(Whole(reader), banks, now, Next));
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "GrpHdr" && _statement is null)
                _created = DateTimeOf(Text(Whole(reader), "CreDtTm"));
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Stmt")
            {
                _statement = new Camt053Statement(reader.Depth, _created);
                reader.Read();
            }
            else if (
                reader.NodeType == XmlNodeType.Element
                && _statement is { } statement
                && reader.Depth == statement.Depth + 1
                && reader.LocalName is "Id" or "Acct" or "Bal" or "TxsSummry" or "CreDtTm" or "FrToDt"
            )
                statement.Take(Whole(reader), banks);
            else
            {
                // A statement names its own account and bank: the next statement's are read afresh.
                if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "Stmt" && _statement is not null)
                {
                    statements?.Invoke(_statement.Check());
                    _statement = null;
                }
                reader.Read();
            }
        }
    }

    /// <summary>
    /// The element the reader is on, read whole. The reader is left on its end tag, not beyond: moving past it is
    /// the next step's, so XML broken right after an entry still lets that entry count.
    /// </summary>
    private static XElement Whole(XmlReader reader)
    {
        var empty = reader.IsEmptyElement;
        XElement element;
        using (var subtree = reader.ReadSubtree())
            element = XElement.Load(subtree);
        if (empty)
            reader.Read(); // an empty element has no end tag to stop on
        return element;
    }

    private static T XmlRead<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException e)
        {
            throw new BankFileRefused($"The XML statement cannot be read: {e.Message}");
        }
    }

    /// <summary>An ISO date-time with an offset, or without one (El Salvador's time); null if it is neither.</summary>
    internal static Instant? DateTimeOf(string? text)
    {
        if (text is null)
            return null;
        if (OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } withOffset)
            return withOffset.Value.ToInstant();
        if (LocalDateTimePattern.ExtendedIso.Parse(text) is { Success: true } local)
            return local.Value.InZoneLeniently(ElSalvador.TimeZone).ToInstant();
        return null;
    }

    /// <summary>A date (yyyy-MM-dd) as the start of that day in El Salvador, or a date-time; null if neither.</summary>
    internal static Instant? DateOrTimeOf(XElement? holder) =>
        Text(holder, "DtTm") is { } dateTime ? DateTimeOf(dateTime)
        : Text(holder, "Dt") is { } date && Dates.TryParse(date, out var day)
            ? day.AtStartOfDayInZone(ElSalvador.TimeZone).ToInstant()
        : null;

    /// <summary>The element as XML text, characters XML forbids included (the reader let them through; Printable
    /// replaces them).</summary>
    internal static string Markup(XElement element)
    {
        var text = new System.Text.StringBuilder();
        var settings = new XmlWriterSettings
        {
            CheckCharacters = false,
            OmitXmlDeclaration = true,
            ConformanceLevel = ConformanceLevel.Fragment,
        };
        using (var writer = XmlWriter.Create(text, settings))
            element.WriteTo(writer);
        return text.ToString();
    }

    /// <summary>The first 9-digit number whose check digit is right: the payer's affiliation number.</summary>
    public static string? AffiliationNumberIn(string remittance) =>
        NineDigits().Matches(remittance).Select(m => m.Value).FirstOrDefault(AffiliationNumber.IsWellFormed);

    [GeneratedRegex(@"(?<!\d)\d{9}(?!\d)")]
    private static partial Regex NineDigits();

    [GeneratedRegex(@"[\t\r\n ]+")]
    internal static partial Regex Whitespace();

    internal static XElement? Child(XElement? parent, params string[] path)
    {
        var current = parent;
        foreach (var name in path)
        {
            current = current?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
            if (current is null)
                return null;
        }
        return current;
    }

    internal static string? Text(XElement? parent, params string[] path) =>
        Child(parent, path) is { } e && !e.HasElements && e.Value.Trim() is { Length: > 0 } value ? value : null;
}
