using System.Text;
using NodaTime;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Banks;
using Shouldly;

namespace Salex.Ledger.Tests;

using static CamtSamples;

/// <summary>What real banks write (issue 12): servicers, tax ids, dates, amounts, references, batches, remittance, CSV
/// quoting.</summary>
public sealed class BankStatementReadingTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 12, 0);

    private static readonly PartnerBanks Registry = PartnerBanks.Fold([
        new PartnerBankRegistered("AGRICOLA", "Banco Agrícola", ["AGRISVSS"], ["SV43AGRI00000000001234567"]),
        new PartnerBankRegistered("BAC", "BAC Credomatic", ["BAMCSVSS"])]);

    private static List<BankFileEntry> Read(string xml, PartnerBanks? banks = null,
        List<StatementCheck>? checks = null) =>
        Camt053.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), Now, banks,
            checks is null ? null : checks.Add).ToList();

    private static string Account(string entries, string account, string servicer) => Statement(entries, servicer)
        .Replace("<Othr><Id>ISSS-SALEX</Id></Othr>",
            $"<IBAN>{account}</IBAN>").Replace("<Svcr><FinInstnId></FinInstnId></Svcr>", "");

    [Fact]
    public void a_statement_without_a_servicer_is_its_registered_account_s_bank()
    {
        var line = Read(Account(Entry("58.72", "100000017", "R-1"), "SV43 AGRI 0000 0000 0012 3456 7", ""),
            Registry).Single().Line!;
        (line.BankCode, line.Hold).ShouldBe(("AGRICOLA", null));
    }

    [Fact]
    public void a_statement_whose_bank_nobody_can_identify_holds_its_money_for_finance()
    {
        var xml = Account(Entry("58.72", "100000017", "R-1"), "DE58740618130100033626",
            "<Nm>VR-Bank Rottal-Inn eG</Nm>");
        var line = Read(xml, Registry).Single().Line!;
        (line.BankCode, line.Hold, line.Amount).ShouldBe((PartnerBanks.Unidentified, LineOutcome.UnknownBank, 58.72m));
        line.HoldReason.ShouldNotBeNull().ShouldContain("VR-Bank Rottal-Inn eG");
    }

    [Theory]
    [InlineData("<BIC>BAMCSVSS</BIC><Othr><Id>DE 129267947</Id><Issr>UmsStId</Issr></Othr>", "BAC")]
    [InlineData("<BICFI>BAMCSVSS</BICFI><Othr><Id>CHE116303292</Id><SchmeNm><Cd>TXID</Cd></SchmeNm></Othr>", "BAC")]
    [InlineData("<Othr><Id>DE129273371</Id><Issr>VAT-ID</Issr></Othr><BIC>BAMCSVSS</BIC>", "BAC")]
    public void a_vat_number_is_never_the_bank_code(string servicer, string bank)
    {
        Read(Statement(Entry("58.72", "100000017", "R-1"), servicer), Registry).Single().Line!.BankCode.ShouldBe(bank);
        StatementBank.Identify(null, null, null, [("DE129273371", "UmsStId")],
            "Bank").Hold.ShouldBe(LineOutcome.UnknownBank);
    }

    [Fact]
    public void a_booking_time_without_an_offset_is_el_salvador_s_and_trailing_zeros_are_read()
    {
        var line = Read(Statement(Entry("8.850", "100000017", "R-1",
            booking: "<DtTm>2024-03-05T10:15:00</DtTm>"))).Single().Line!;
        (line.PaidAt, line.Amount).ShouldBe((Instant.FromUtc(2024, 3, 5, 16, 15), 8.85m));
    }

    [Fact]
    public void entries_sharing_one_reference_are_told_apart_by_their_other_reference_and_amount()
    {
        var xml = Statement(Entry("10.00", "100000017", "SHARED").Replace("<AcctSvcrRef>",
            "<NtryRef>N-1</NtryRef><AcctSvcrRef>")
            + Entry("20.00", "100000025", "SHARED").Replace("<AcctSvcrRef>", "<NtryRef>N-2</NtryRef><AcctSvcrRef>"));
        Read(xml).Select(e => e.Line!.TransactionId).ShouldBe(["N-1/SHARED/10.00/ISSS-SALEX",
            "N-2/SHARED/20.00/ISSS-SALEX"]);
    }

    [Fact]
    public void a_batch_gives_each_transaction_its_own_reference_amount_channel_and_remittance()
    {
        var xml = Statement("""
            <Ntry><Amt Ccy="USD">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-05</Dt></BookgDt>
              <AcctSvcrRef>BATCH-1</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>BOOK</SubFmlyCd></Fmly></Domn></BkTxCd>
              <NtryDtls>
                <TxDtls><Refs><AcctSvcrRef>BATCH-1</AcctSvcrRef><Prtry><Tp>BANK</Tp><Ref>P-7</Ref></Prtry></Refs><Amt Ccy="USD">60.00</Amt>
                  <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CNTR</Cd><SubFmlyCd>CDPT</SubFmlyCd></Fmly></Domn></BkTxCd>
                  <RltdPties><Dbtr><Pty><Nm>Peña, José "Pepe"</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>US12BOFA0000001</IBAN></Id></DbtrAcct></RltdPties>
                  <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>100000017</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>
                <TxDtls><Refs><AcctSvcrRef>BATCH-1</AcctSvcrRef></Refs><Amt Ccy="USD">40.00</Amt><RmtInf><Ustrd>cuota 100000025</Ustrd></RmtInf></TxDtls>
              </NtryDtls></Ntry>
            """);

        var lines = Read(xml).Select(e => e.Line!).ToList();

        lines.Select(l => (l.TransactionId, l.Amount, l.AffiliationNumber, l.Channel)).ShouldBe([
            ("BATCH-1/#1/60.00/ISSS-SALEX", 60.00m, "100000017", Contributions.Channel.Branch),
            ("BATCH-1/#2/40.00/ISSS-SALEX", 40.00m, "100000025", Contributions.Channel.Online)]);
        (lines[0].DebtorName, lines[0].DebtorAccount).ShouldBe(("Peña, José \"Pepe\"", "US12BOFA0000001"));
    }

    [Fact]
    public void a_proprietary_reference_names_a_transaction_and_details_that_do_not_add_up_are_held_whole()
    {
        var xml = Statement("""
            <Ntry><Amt Ccy="USD">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-05</Dt></BookgDt>
              <NtryDtls><TxDtls><Refs><Prtry><Tp>X</Tp><Ref>P-1</Ref></Prtry></Refs><Amt Ccy="USD">60.00</Amt></TxDtls>
                <TxDtls><Refs><Prtry><Tp>X</Tp><Ref>P-2</Ref></Prtry></Refs><Amt Ccy="USD">30.00</Amt></TxDtls></NtryDtls></Ntry>
            """);
        var line = Read(xml).ShouldHaveSingleItem().Line!;
        (line.Amount, line.Hold).ShouldBe((100.00m, LineOutcome.HeldForReview));
        line.HoldReason.ShouldNotBeNull().ShouldContain("90.00");
    }

    [Fact]
    public void a_statement_is_checked_against_its_own_credit_total_and_balances()
    {
        var xml = Statement(Entry("58.72", "100000017", "R-1") + Entry("5.00", "fee", "D-1", direction: "DBIT"))
            .Replace("<Bal>", """
                <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="USD">946.28</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
                <TxsSummry><TtlCdtNtries><NbOfNtries>2</NbOfNtries><Sum>70.00</Sum></TtlCdtNtries></TxsSummry><Bal>
                """);
        var checks = new List<StatementCheck>();
        Read(xml, checks: checks);

        var check = checks.ShouldHaveSingleItem();
        (check.Credits, check.CreditAmount, check.DeclaredCreditAmount, check.Opening, check.Closing).ShouldBe((1,
            58.72m, 70.00m, 946.28m, 1000.00m));
        check.Differences.ShouldHaveSingleItem().ShouldContain("11.28");   // the balances agree: 946.28 + 58.72 − 5.00 = 1000.00
    }

    [Fact]
    public void an_entry_without_a_booking_date_is_dated_by_its_value_date_else_held()
    {
        var valued = Statement(Entry("58.72", "100000017",
            "R-1").Replace("<BookgDt><DtTm>2024-03-05T10:15:00-06:00</DtTm></BookgDt>", ""));
        Read(valued).Single().Line!.Hold.ShouldBeNull();
        var undated = valued.Replace("<ValDt><Dt>2024-03-05</Dt></ValDt>", "");
        var line = Read(undated).Single().Line!;
        (line.PaidOn, line.Hold).ShouldBe((new LocalDate(2024, 3, 5), LineOutcome.HeldForReview));
    }

    [Fact]
    public void a_long_key_is_cut_to_the_limit_with_a_hash_of_the_whole()
    {
        var a = TransactionKey.Of([new string('A', 35), new string('B', 35)], 1m, "SV43AGRI00000000001234567");
        var b = TransactionKey.Of([new string('A', 35), new string('C', 35)], 1m, "SV43AGRI00000000001234567");
        a.Length.ShouldBe(Limits.Reference);
        a.ShouldNotBe(b);
    }

    [Fact]
    public void payments_of_one_account_are_applied_in_booking_order_and_keep_the_file_s_numbers()
    {
        BankFileEntry Line(int n, string account, int day) => new(n, new BankFileLine(n, "AGRICOLA", $"T-{n}",
            Instant.FromUtc(2018, 5, day, 16, 0), account, 10m, Contributions.Channel.Online), null);
        List<BankFileEntry> file = [Line(2, "A", 27), Line(3, "B", 1), Line(4, "A", 10), Line(5, "A", 10)];
        var order = new BookingOrder();
        file.ForEach(order.Note);

        var applied = order.Apply(file).ToList();

        applied.Select(e => (e.Number, e.Line!.Number)).ShouldBe([(2, 3), (3, 4), (4, 5), (5, 2)]);
        order.OutOfOrder.ShouldBe(1);
    }

    [Theory]
    [InlineData("AGRICOLA,Q-1,2024-03-05T10:15:00-06:00,\"Peña, José \"\"Pepe\"\"\",58.72,ONLINE",
        "Peña, José \"Pepe\"")]
    [InlineData("\"AGRICOLA\",\"Q-1\",\"2024-03-05T10:15:00-06:00\",\"100000017\",\"58.72\",\"ONLINE\"", "100000017")]
    [InlineData("AGRICOLA, \"Q-1\" ,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE", "100000017")]
    public void csv_fields_are_read_as_rfc_4180_writes_them(string text, string payer)
    {
        var (line, malformed) = BankFileLines.Parse(2, text, Now);
        malformed.ShouldBeNull();
        (line!.TransactionId, line.AffiliationNumber).ShouldBe(("Q-1", payer));
    }

    [Theory]
    [InlineData("AGRICOLA,\"Q-1,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE", "not closed")]
    [InlineData("AGRICOLA,\"Q\"-1,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE", "after its closing quote")]
    public void a_broken_quote_is_a_malformed_line(string text, string reason) =>
        BankFileLines.Parse(2, text, Now).Malformed.ShouldNotBeNull().Reason.ShouldContain(reason);

    [Fact]
    public void a_fully_quoted_file_is_read_from_its_quoted_header()
    {
        var text = "\"bankCode\",\"transactionId\",\"paidAt\",\"affiliationNumber\",\"amount\",\"channel\"\r\n"
            + "\"AGRICOLA\",\"Q-1\",\"2024-03-05T10:15:00-06:00\",\"100000017\",\"58.72\",\"ONLINE\"\r\n";
        CsvBankFile.Read(new StringReader(text), Now).Single().Line!.Amount.ShouldBe(58.72m);
    }

    [Fact]
    public void a_readable_amount_above_one_payment_is_held_not_dropped()
    {
        var line = BankFileLines.Parse(2, "AGRICOLA,Q-1,2024-03-05T10:15:00-06:00,100000017,789904.40,ONLINE",
            Now).Line!;
        (line.Amount, line.Hold).ShouldBe((789904.40m, LineOutcome.HeldForReview));
    }
}
