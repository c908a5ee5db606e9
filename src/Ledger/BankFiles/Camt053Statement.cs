using System.Globalization;
using System.Xml.Linq;
using NodaTime;
using Salex.Ledger.Banks;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using static Salex.Ledger.BankFiles.Camt053;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// One statement (<c>Stmt</c>) of a camt.053 file as it is read: its account, bank, dates and own totals, the
/// payments of its entries (<see cref="Payments"/>), and the tally of its entries for its check (<see cref="Check"/>).
/// </summary>
internal sealed class Camt053Statement(int depth, Instant? created)
{
    private const int MaxKeptText = 300;

    private string? _id;
    private string? _account;
    private string? _currency;
    private (string? Bic, List<(string Id, string? Issuer)> Ids, string? Name) _servicer = (null, [], null);
    private StatementBank? _bank;
    private Instant? _created = created;
    private Instant? _closingDate;
    private Instant? _toDate;
    private int? _declaredCredits;
    private decimal? _declaredCreditAmount;
    private decimal? _opening;
    private decimal? _openingPreviousClosing;
    private decimal? _closing;
    private int _credits;
    private decimal _creditAmount;
    private int _passedOver;
    private decimal _passedOverAmount;
    private int _unread;
    private decimal _bookedNet;
    private bool _balancesReadable = true;
    private readonly Dictionary<string, int> _unreferenced = new(StringComparer.Ordinal);

    /// <summary>The depth of the <c>Stmt</c> element, whose children are taken by <see cref="Take"/>.</summary>
    public int Depth => depth;

    /// <summary>Takes one child element of the statement: its id, account, a balance, the totals or a date.</summary>
    public void Take(XElement e, PartnerBanks? banks)
    {
        switch (e.Name.LocalName)
        {
            case "Id":
                _id = e.Value.Trim();
                break;
            case "Acct":
                TakeAccount(e, banks);
                break;
            case "Bal":
                TakeBalance(e);
                break;
            case "TxsSummry":
                _declaredCredits = int.TryParse(
                    Text(e, "TtlCdtNtries", "NbOfNtries"),
                    CultureInfo.InvariantCulture,
                    out var n
                )
                    ? n
                    : null;
                _declaredCreditAmount = Decimal(Text(e, "TtlCdtNtries", "Sum"));
                break;
            case "CreDtTm":
                _created = DateTimeOf(e.Value.Trim()) ?? _created;
                break;
            case "FrToDt":
                _toDate = DateTimeOf(Text(e, "ToDtTm"));
                break;
        }
    }

    private void TakeAccount(XElement account, PartnerBanks? banks)
    {
        _account = Text(account, "Id", "IBAN") ?? Text(account, "Id", "Othr", "Id");
        _currency = Text(account, "Ccy");
        var institution = Child(account, "Svcr", "FinInstnId");
        var ids =
            institution
                ?.Elements()
                .Where(o => o.Name.LocalName == "Othr" && Text(o, "Id") is not null)
                .Select(o =>
                    (Text(o, "Id")!, Text(o, "Issr") ?? Text(o, "SchmeNm", "Cd") ?? Text(o, "SchmeNm", "Prtry"))
                )
                .ToList()
            ?? [];
        _servicer = (Text(institution, "BICFI") ?? Text(institution, "BIC"), ids, Text(institution, "Nm"));
        _bank = StatementBank.Identify(banks, _account, _servicer.Bic, _servicer.Ids, _servicer.Name);
    }

    private void TakeBalance(XElement balance)
    {
        var type = Text(balance, "Tp", "CdOrPrtry", "Cd") ?? Text(balance, "Tp", "CdOrPrtry", "Prtry");
        if (Decimal(Text(balance, "Amt")) is not { } amount)
            return;
        var signed = Text(balance, "CdtDbtInd") == "DBIT" ? -amount : amount;
        switch (type)
        {
            case "OPBD":
                _opening = signed;
                break;
            case "PRCD":
                _openingPreviousClosing = signed;
                break;
            case "CLBD":
                _closing = signed;
                _closingDate = DateOrTimeOf(Child(balance, "Dt"));
                break;
        }
    }

    /// <summary>An amount or balance; null past 10^15 as well, so that a statement's sums cannot overflow.</summary>
    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
        && d <= MaxFigure
            ? d
            : null;

    private const decimal MaxFigure = 1_000_000_000_000_000m;

    /// <summary>The statement against its own totals, once its last entry was read.</summary>
    public StatementCheck Check() =>
        StatementCheck.Of(
            _id ?? "(no id)",
            _account,
            _currency,
            _credits,
            _creditAmount,
            _passedOver,
            _passedOverAmount,
            _unread,
            _declaredCredits,
            _declaredCreditAmount,
            _opening ?? _openingPreviousClosing,
            _closing,
            _bookedNet,
            _balancesReadable
        );

    /// <summary>The payments of one entry (none for a debit, a reversal or an entry not booked), tallied.</summary>
    public IReadOnlyList<BankFileEntry> Payments(XElement entry, PartnerBanks? banks, Instant now, Func<int> next)
    {
        var direction = Text(entry, "CdtDbtInd");
        var status = Text(entry, "Sts", "Cd") ?? Text(entry, "Sts");
        var booked = status is null or "BOOK";
        var entryAmount = Decimal(Text(entry, "Amt"));
        if (booked)
        {
            if (entryAmount is not { } a)
                _balancesReadable = false;
            else
                _bookedNet +=
                    direction == "CRDT" ? a
                    : direction == "DBIT" ? -a
                    : 0m;
        }
        if (direction != "CRDT")
            return [];
        // Not money received: reversals of earlier credits, entries not yet booked.
        if (Text(entry, "RvslInd") is "true" or "1" || !booked)
        {
            _passedOver++;
            _passedOverAmount += entryAmount ?? 0m;
            return [];
        }

        _bank ??= StatementBank.Identify(banks, _account, _servicer.Bic, _servicer.Ids, _servicer.Name);
        var payments = Lines(entry, now, next);
        var read = payments.Where(p => p.Line is not null).ToList();
        if (read.Count > 0)
        {
            _credits++;
            _creditAmount += read.Sum(p => p.Line!.Amount);
        }
        if (read.Count < payments.Count)
            _unread++;
        return payments;
    }

    private List<BankFileEntry> Lines(XElement entry, Instant now, Func<int> next)
    {
        var transactions = entry
            .Elements()
            .Where(e => e.Name.LocalName == "NtryDtls")
            .SelectMany(d => d.Elements().Where(e => e.Name.LocalName == "TxDtls"))
            .ToList();
        string?[] entryRefs = [Text(entry, "NtryRef"), Text(entry, "AcctSvcrRef")];
        if (transactions.Count > 1)
        {
            var amounts = transactions.Select(t => Child(t, "Amt") ?? Child(t, "AmtDtls", "TxAmt", "Amt")).ToList();
            var currency = Child(entry, "Amt")?.Attribute("Ccy")?.Value;
            var own = amounts
                .Select(a =>
                    a is not null
                    && a.Attribute("Ccy")?.Value == currency
                    && BankFileLines.TryParseAmount(a.Value.Trim(), out var x, out _)
                        ? x
                        : (decimal?)null
                )
                .ToList();
            decimal? entryTotal = BankFileLines.TryParseAmount(Text(entry, "Amt") ?? "", out var total, out _)
                ? total
                : null;
            if (own.All(a => a is not null) && own.Sum() == entryTotal)
            {
                // One entry booking several payments: each has its own amount, references, codes and remittance.
                var txRefs = transactions.Select(TransactionReference).ToList();
                return
                [
                    .. transactions.Select(
                        (t, i) =>
                        {
                            var txRef = txRefs[i];
                            // The transaction's reference alone may be the entry's, a sibling's, or missing: its place
                            // then
                            // tells them apart.
                            var ambiguous =
                                txRef.Value is null
                                || entryRefs.Contains(txRef.Value)
                                || txRefs.Count(r => r.Value == txRef.Value) > 1;
                            (string Name, string? Value)[] refs =
                            [
                                ("NtryRef", entryRefs[0]),
                                ("AcctSvcrRef", entryRefs[1]),
                                txRef,
                                ("position", ambiguous ? $"#{i + 1}" : null),
                            ];
                            return Line(next(), entry, [t], t, refs, amounts[i], null, now);
                        }
                    ),
                ];
            }
            // Details that do not add up to the entry (or carry no amounts): the entry's money as one payment, for
            // finance to split.
            var sum = own.All(a => a is not null)
                ? own.Sum()!.Value.ToString("0.00", CultureInfo.InvariantCulture)
                : "no amounts of their own";
            var reason =
                $"The entry's {transactions.Count} transactions ({sum}) do not add up to its amount; "
                + $"held in suspense for finance.";
            return
            [
                Line(
                    next(),
                    entry,
                    transactions,
                    null,
                    [("NtryRef", entryRefs[0]), ("AcctSvcrRef", entryRefs[1])],
                    Child(entry, "Amt"),
                    reason,
                    now
                ),
            ];
        }
        var single = transactions.SingleOrDefault();
        (string Name, string? Value)[] singleRefs =
        [
            ("NtryRef", entryRefs[0]),
            ("AcctSvcrRef", entryRefs[1]),
            single is null ? ("", null) : TransactionReference(single),
        ];
        return
        [
            Line(next(), entry, single is null ? [] : [single], single, singleRefs, Child(entry, "Amt"), null, now),
        ];
    }

    /// <summary>A transaction's own reference: the bank's, the end-to-end id (unless NOTPROVIDED), then the other
    /// ids.</summary>
    private static (string Name, string? Value) TransactionReference(XElement transaction)
    {
        var refs = Child(transaction, "Refs");
        foreach (
            var name in new[]
            {
                "AcctSvcrRef",
                "EndToEndId",
                "TxId",
                "InstrId",
                "UETR",
                "PmtInfId",
                "MsgId",
                "ClrSysRef",
                "MndtId",
            }
        )
            if (Text(refs, name) is { } value && value != "NOTPROVIDED")
                return (name, value);
        return Text(refs, "Prtry", "Ref") is { } proprietary ? ("Prtry/Ref", proprietary) : ("", null);
    }

    private BankFileEntry Line(
        int number,
        XElement entry,
        IReadOnlyList<XElement> details,
        XElement? transaction,
        IReadOnlyList<(string Name, string? Value)> refs,
        XElement? amountElement,
        string? batchHold,
        Instant now
    )
    {
        BankFileEntry Bad(string reason) =>
            new(
                number,
                null,
                new MalformedLine(
                    number,
                    Limits.Printable(reason, Limits.Reason),
                    Limits.Printable(Markup(transaction ?? entry), MaxKeptText)
                )
            );

        var bank = _bank!;
        if (Limits.TextProblem(bank.Code, Limits.Code) is { } badBank)
            return Bad($"The bank code (Acct/Svcr/FinInstnId): {badBank}");
        foreach (var (name, value) in refs)
            if (value is not null && Limits.TextProblem(value, Limits.Reference) is { } badReference)
                return Bad($"The reference ({name}): {badReference}");

        if (amountElement is null)
            return Bad("The entry has no amount (Amt).");
        var currency = amountElement.Attribute("Ccy")?.Value;
        if (currency is not null && currency != "USD")
            return Bad($"The amount is in {currency}; payments are in US dollars.");
        if (!BankFileLines.TryParseAmount(amountElement.Value.Trim(), out var amount, out var amountReason))
            return Bad(amountReason);

        string? dateHold = null;
        Instant paidAt;
        if (Child(entry, "BookgDt") is { } bookingDate)
        {
            if (DateOrTimeOf(bookingDate) is not { } booked)
                return Bad(
                    $"BookgDt '{Limits.Printable(bookingDate.Value, 40)}' is not an ISO date (yyyy-MM-dd) "
                        + $"or date and time."
                );
            paidAt = booked;
        }
        else if (DateOrTimeOf(Child(entry, "ValDt")) is { } valued)
            paidAt = valued;
        else if ((_closingDate ?? _toDate ?? _created) is { } statementDate)
        {
            paidAt = statementDate;
            dateHold =
                $"The entry has no booking or value date; dated {Dates.Format(ElSalvador.DateOf(paidAt))} "
                + $"by its statement "
                + "and held in suspense for finance.";
        }
        else
            return Bad("The entry has no booking date (BookgDt).");
        if (paidAt > now)
            return Bad("The booking date is in the future.");
        if (!Limits.IsInRange(paidAt))
            return Bad($"The booking date is not {Limits.DateRange}.");

        var remittance = RemittanceOf(details, entry);
        var affiliationNumber =
            AffiliationNumberIn(remittance)
            ?? (
                remittance.Length == 0 ? "(no remittance information)"
                : remittance.Length > Limits.Remittance ? remittance[..Limits.Remittance]
                : remittance
            );
        if (Limits.TextProblem(affiliationNumber, Limits.Remittance) is { } badRemittance)
            return Bad($"The remittance information (RmtInf): {badRemittance}");

        List<string?> values = [.. refs.Select(r => r.Value)];
        if (values.All(v => v is null))
            values = [Unreferenced(entry, amount)];
        var key = TransactionKey.Of(values, amount, _account);

        // The transaction's own bank transaction code, else the entry's.
        var codes = CodesOf(transaction) ?? CodesOf(entry) ?? "";
        var channel = codes.Contains("CDPT") || codes.Contains("CASH") ? Channel.Branch : Channel.Online;

        var party = Child(transaction, "RltdPties");
        var debtor =
            Text(party, "Dbtr", "Nm")
            ?? Text(party, "Dbtr", "Pty", "Nm")
            ?? Text(party, "UltmtDbtr", "Nm")
            ?? Text(party, "UltmtDbtr", "Pty", "Nm");
        var debtorAccount = Text(party, "DbtrAcct", "Id", "IBAN") ?? Text(party, "DbtrAcct", "Id", "Othr", "Id");

        var hold = bank.Hold ?? (dateHold is not null || batchHold is not null ? LineOutcome.HeldForReview : null);
        return new BankFileEntry(
            number,
            new BankFileLine(
                number,
                bank.Code,
                key,
                paidAt,
                affiliationNumber,
                amount,
                channel,
                debtor is null ? null : Limits.Printable(debtor, Limits.Name),
                debtorAccount is null ? null : Limits.Printable(debtorAccount, Limits.Code),
                remittance.Length == 0 ? null : Limits.Printable(remittance, Limits.Reason),
                hold,
                bank.HoldReason ?? dateHold ?? batchHold
            ).HeldIfTooLarge(),
            null
        );
    }

    /// <summary>
    /// An entry with no reference at all: its booking date and the how-many-th such entry of that amount and date it is
    /// in
    /// its statement, which is the same wherever the statement is imported.
    /// </summary>
    private string Unreferenced(XElement entry, decimal amount)
    {
        var date =
            Text(entry, "BookgDt", "Dt") ?? Text(entry, "BookgDt", "DtTm") ?? Text(entry, "ValDt", "Dt") ?? "undated";
        var slot = $"{date}/{amount.ToString("0.00", CultureInfo.InvariantCulture)}";
        var n = _unreferenced[slot] = _unreferenced.GetValueOrDefault(slot) + 1;
        return $"{date}#{n}";
    }

    private static string? CodesOf(XElement? holder) =>
        Child(holder, "BkTxCd") is { } codes
        && string.Join(" ", codes.Descendants().Where(d => !d.HasElements).Select(d => d.Value.Trim()))
            is { Length: > 0 } text
            ? text
            : null;

    /// <summary>
    /// The remittance information of the transactions, unstructured (<c>Ustrd</c>) and structured (the creditor's
    /// reference, referred document numbers, additional remittance text), else the additional transaction information,
    /// else the entry's; line breaks and tabs are layout, one space each.
    /// </summary>
    private static string RemittanceOf(IReadOnlyList<XElement> details, XElement entry)
    {
        var parts = new List<string>();
        foreach (var remittance in details.SelectMany(d => d.Elements().Where(e => e.Name.LocalName == "RmtInf")))
        {
            parts.AddRange(remittance.Elements().Where(e => e.Name.LocalName == "Ustrd").Select(u => u.Value));
            foreach (var structured in remittance.Elements().Where(e => e.Name.LocalName == "Strd"))
                parts.AddRange(
                    structured
                        .Descendants()
                        .Where(d => !d.HasElements && d.Name.LocalName is "Ref" or "Nb" or "AddtlRmtInf" or "Nm")
                        .Where(d => d.Parent?.Name.LocalName is not ("CdOrPrtry" or "Tp"))
                        .Select(d => d.Value)
                );
        }
        if (parts.Count == 0)
            parts.AddRange(details.Select(d => Text(d, "AddtlTxInf")).OfType<string>());
        if (parts.Count == 0 && Text(entry, "AddtlNtryInf") is { } additional)
            parts.Add(additional);
        return Whitespace().Replace(string.Join(" ", parts), " ").Trim();
    }
}
