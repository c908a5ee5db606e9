using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Ledger.Enrolment;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// Reads an ISO 20022 <c>camt.053</c> bank-to-customer statement (any version: elements are matched by
/// local name) as the same payments a CSV file carries, one entry at a time so a big statement is never
/// in memory whole.
/// <list type="bullet">
/// <item>Only booked credit entries are payments. Debits, reversals and entries not yet booked are not
/// money received by the regime and are passed over.</item>
/// <item>Bank code: the statement account's servicer, <c>Acct/Svcr/FinInstnId/Othr/Id</c> (the code the
/// bank also uses in its CSV files), else its BIC.</item>
/// <item>Transaction id: the entry's <c>AcctSvcrRef</c>, else the transaction's <c>Refs/AcctSvcrRef</c>,
/// <c>EndToEndId</c>, or the entry's <c>NtryRef</c>. An entry that books several transactions gives one
/// payment each.</item>
/// <item>Paid at: <c>BookgDt/DtTm</c>, or <c>BookgDt/Dt</c> read as that day in El Salvador.</item>
/// <item>Affiliation number: the first 9-digit number with a valid check digit in the remittance
/// information; without one the money is held in suspense under the remittance text, for finance.</item>
/// <item>Channel: BRANCH for cash deposits (bank transaction code <c>CDPT</c> or <c>CASH</c>), else ONLINE.</item>
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
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) continue;
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
    public static IEnumerable<BankFileEntry> Read(Stream stream, Instant now)
    {
        // Characters XML forbids (NUL, other controls) are let through to the text they are in, so that only
        // the entry holding one is malformed (Limits.TextProblem), not the whole statement.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true, CheckCharacters = false,
        };
        using var reader = XmlReader.Create(new ControlBytesReplaced(stream), settings);
        XmlRead(reader.MoveToContent);
        if (reader.LocalName != "Document") throw new BankFileRefused("The XML is not an ISO 20022 Document.");
        XmlRead(reader.Read);
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "BkToCstmrStmt")
            throw new BankFileRefused("The XML document is not a camt.053 bank-to-customer statement (BkToCstmrStmt).");

        var walk = new Walk(now);
        var read = new List<BankFileEntry>();
        string? broken = null;
        while (broken is null && !reader.EOF)
        {
            try { walk.Step(reader, read); }
            catch (XmlException e) { broken = e.Message; }
            foreach (var entry in read) yield return entry;
            read.Clear();
        }
        if (broken is not null)
        {
            // Broken before its first payment: nothing was read, so the file is refused whole, as a bad header is.
            if (walk.Count == 0) throw new BankFileRefused($"The XML statement cannot be read: {broken}");
            var number = walk.Next();
            yield return new BankFileEntry(number, null,
                new MalformedLine(number, Limits.Printable($"The XML statement cannot be read from here on: {broken}", Limits.Reason), ""));
        }
    }

    /// <summary>The walk through a statement: the bank code of the statement being read, and the payments' numbering.</summary>
    private sealed class Walk(Instant now)
    {
        private int _number;
        private string? _bankCode;

        public int Next() => ++_number;

        public int Count => _number;

        /// <summary>Reads one node (a whole account or entry element, or one other node) and adds the payments it holds.</summary>
        public void Step(XmlReader reader, List<BankFileEntry> read)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Acct" && _bankCode is null)
                _bankCode = BankCodeOf(Whole(reader));
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Ntry")
                read.AddRange(Payments(Whole(reader), _bankCode, now, Next));
            else
            {
                // A statement names its own account: the next statement's bank code is read afresh.
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Stmt") _bankCode = null;
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
        using (var subtree = reader.ReadSubtree()) element = XElement.Load(subtree);
        if (empty) reader.Read(); // an empty element has no end tag to stop on
        return element;
    }

    private static T XmlRead<T>(Func<T> read)
    {
        try { return read(); }
        catch (XmlException e) { throw new BankFileRefused($"The XML statement cannot be read: {e.Message}"); }
    }

    private static string? BankCodeOf(XElement account)
    {
        var institution = Child(account, "Svcr", "FinInstnId");
        return (Text(institution, "Othr", "Id") ?? Text(institution, "BICFI") ?? Text(institution, "BIC"))?.ToUpperInvariant();
    }

    private static IEnumerable<BankFileEntry> Payments(XElement entry, string? bankCode, Instant now, Func<int> next)
    {
        // Not money received: debits, reversals of earlier credits, entries not yet booked.
        if (Text(entry, "CdtDbtInd") != "CRDT") yield break;
        if (Text(entry, "RvslInd") is "true" or "1") yield break;
        var status = Text(entry, "Sts", "Cd") ?? Text(entry, "Sts");
        if (status is not null && status != "BOOK") yield break;

        var transactions = entry.Elements().Where(e => e.Name.LocalName == "NtryDtls")
            .SelectMany(d => d.Elements().Where(e => e.Name.LocalName == "TxDtls")).ToList();
        if (transactions.Count <= 1)
        {
            var number = next();
            var single = transactions.SingleOrDefault();
            var reference = Text(entry, "AcctSvcrRef") ?? ReferenceOf(single) ?? Text(entry, "NtryRef");
            yield return BankFileEntry.Of(number, Payment(number, entry, single, reference, Child(entry, "Amt"), bankCode, now));
            yield break;
        }
        // One entry booking several payments: each has its own amount, reference and remittance information.
        for (var i = 0; i < transactions.Count; i++)
        {
            var number = next();
            var transaction = transactions[i];
            var amount = Child(transaction, "Amt") ?? Child(transaction, "AmtDtls", "TxAmt", "Amt");
            // The entry's own reference is shared by its transactions: each needs one of its own.
            var shared = Text(entry, "AcctSvcrRef") ?? Text(entry, "NtryRef");
            var reference = ReferenceOf(transaction) ?? (shared is null ? null : $"{shared}/{i + 1}");
            yield return BankFileEntry.Of(number, Payment(number, entry, transaction, reference, amount, bankCode, now));
        }
    }

    private static string? ReferenceOf(XElement? transaction) =>
        Text(transaction, "Refs", "AcctSvcrRef") ?? (Text(transaction, "Refs", "EndToEndId") is { } e && e != "NOTPROVIDED" ? e : null);

    private static (BankFileLine?, MalformedLine?) Payment(int number, XElement entry, XElement? transaction, string? reference, XElement? amountElement,
        string? bankCode, Instant now)
    {
        MalformedLine Bad(string reason)
        {
            var text = Markup(transaction ?? entry);
            return new MalformedLine(number, Limits.Printable(reason, Limits.Reason), Limits.Printable(text, MaxKeptText));
        }

        if (bankCode is null) return (null, Bad("The statement's account has no servicer (Acct/Svcr/FinInstnId) to name the bank."));
        if (Limits.TextProblem(bankCode, Limits.Code) is { } badBank) return (null, Bad($"The bank code (Acct/Svcr/FinInstnId): {badBank}"));
        if (reference is null) return (null, Bad("The entry has no reference (AcctSvcrRef, EndToEndId or NtryRef)."));
        if (Limits.TextProblem(reference, Limits.Reference) is { } badReference) return (null, Bad($"The reference: {badReference}"));

        if (amountElement is null) return (null, Bad("The entry has no amount (Amt)."));
        var currency = amountElement.Attribute("Ccy")?.Value;
        if (currency is not null && currency != "USD") return (null, Bad($"The amount is in {currency}; payments are in US dollars."));
        if (!BankFileLines.TryParseAmount(amountElement.Value.Trim(), out var amount, out var amountReason)) return (null, Bad(amountReason));

        Instant paidAt;
        if (Text(entry, "BookgDt", "DtTm") is { } dateTime)
        {
            var parsed = OffsetDateTimePattern.ExtendedIso.Parse(dateTime);
            if (!parsed.Success) return (null, Bad($"BookgDt/DtTm '{dateTime}' is not a date and time with an offset."));
            paidAt = parsed.Value.ToInstant();
        }
        else if (Text(entry, "BookgDt", "Dt") is { } date)
        {
            if (!Dates.TryParse(date, out var day)) return (null, Bad($"BookgDt/Dt '{date}' is not a date of the form yyyy-MM-dd."));
            paidAt = day.AtStartOfDayInZone(ElSalvador.TimeZone).ToInstant();
        }
        else return (null, Bad("The entry has no booking date (BookgDt)."));
        if (paidAt > now) return (null, Bad("The booking date is in the future."));
        if (!Limits.IsInRange(paidAt)) return (null, Bad($"The booking date is not {Limits.DateRange}."));

        // Line breaks and tabs in remittance text are layout, not content: one space each.
        var remittance = Whitespace().Replace(string.Join(" ", (transaction ?? entry).Descendants().Where(d => d.Name.LocalName == "RmtInf")
            .SelectMany(r => r.Descendants()).Where(d => !d.HasElements).Select(d => d.Value)), " ").Trim();
        var affiliationNumber = AffiliationNumberIn(remittance)
            ?? (remittance.Length == 0 ? "(no remittance information)"
                : remittance.Length > Limits.Remittance ? remittance[..Limits.Remittance] : remittance);
        if (Limits.TextProblem(affiliationNumber, Limits.Remittance) is { } badRemittance)
            return (null, Bad($"The remittance information (RmtInf): {badRemittance}"));

        var codes = string.Join(" ", entry.Descendants().Where(d => d.Name.LocalName == "BkTxCd").SelectMany(b => b.Descendants()).Select(d => d.Value));
        var channel = codes.Contains("CDPT") || codes.Contains("CASH") ? Channel.Branch : Channel.Online;

        return (new BankFileLine(number, bankCode, reference, paidAt, affiliationNumber, amount, channel), null);
    }

    /// <summary>The element as XML text, characters XML forbids included (the reader let them through; Printable replaces them).</summary>
    private static string Markup(XElement element)
    {
        var text = new System.Text.StringBuilder();
        var settings = new XmlWriterSettings { CheckCharacters = false, OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment };
        using (var writer = XmlWriter.Create(text, settings)) element.WriteTo(writer);
        return text.ToString();
    }

    /// <summary>The first 9-digit number whose check digit is right: the payer's affiliation number.</summary>
    public static string? AffiliationNumberIn(string remittance) =>
        NineDigits().Matches(remittance).Select(m => m.Value).FirstOrDefault(AffiliationNumber.IsWellFormed);

    [GeneratedRegex(@"(?<!\d)\d{9}(?!\d)")]
    private static partial Regex NineDigits();

    [GeneratedRegex(@"[\t\r\n ]+")]
    private static partial Regex Whitespace();

    private static XElement? Child(XElement? parent, params string[] path)
    {
        var current = parent;
        foreach (var name in path)
        {
            current = current?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
            if (current is null) return null;
        }
        return current;
    }

    private static string? Text(XElement? parent, params string[] path) =>
        Child(parent, path) is { } e && !e.HasElements && e.Value.Trim() is { Length: > 0 } value ? value : null;
}
