using System.Text;
using NodaTime;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Shouldly;

namespace Salex.Ledger.Tests;

using static CamtSamples;

public sealed class Camt053Tests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 12, 0);

    private static List<BankFileEntry> Read(string xml) => Camt053.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), Now).ToList();

    [Fact]
    public void a_booked_credit_is_a_payment_with_the_bank_code_reference_date_and_affiliation_number()
    {
        var entry = Read(Statement(Entry("58.72", "SALEX cotizacion 100000017 marzo", "000912345"))).ShouldHaveSingleItem();

        var line = entry.Line.ShouldNotBeNull();
        (entry.Number, line.BankCode, line.TransactionId, line.AffiliationNumber, line.Amount, line.Channel)
            .ShouldBe((1, "AGRICOLA", "000912345/58.72/ISSS-SALEX", "100000017", 58.72m, Contributions.Channel.Online));
        line.PaidOn.ShouldBe(new LocalDate(2024, 3, 5));
    }

    [Fact]
    public void a_booking_date_without_time_is_that_day_in_el_salvador_and_a_cash_deposit_is_a_branch_payment()
    {
        var line = Read(Statement(Entry("10.00", "100000017", "R-1", booking: "<Dt>2024-02-29</Dt>", code: "CDPT"))).Single().Line!;
        (line.PaidOn, line.Channel).ShouldBe((new LocalDate(2024, 2, 29), Contributions.Channel.Branch));
    }

    [Fact]
    public void debits_reversals_and_pending_entries_are_not_payments()
    {
        var entries = Read(Statement(
            Entry("5.00", "fee", "D-1", direction: "DBIT")
            + Entry("6.00", "100000017", "P-1", status: "<Sts><Cd>PDNG</Cd></Sts>")
            + Entry("7.00", "100000017", "B-1", status: "<Sts>BOOK</Sts>")));   // camt.053.001.02 writes the status bare

        entries.ShouldHaveSingleItem().Line!.TransactionId.ShouldBe("B-1/7.00/ISSS-SALEX");
    }

    [Fact]
    public void without_a_valid_affiliation_number_the_remittance_text_stands_for_the_payer()
    {
        // 100000018 has a wrong check digit, 1000000170 has ten digits: neither is an affiliation number.
        var line = Read(Statement(Entry("20.00", "PAGO JUAN PEREZ 100000018 1000000170", "U-1"))).Single().Line!;
        line.AffiliationNumber.ShouldBe("PAGO JUAN PEREZ 100000018 1000000170");
    }

    [Fact]
    public void an_entry_booking_several_transactions_gives_one_payment_each_with_its_own_reference()
    {
        var xml = Statement("""
            <Ntry><Amt Ccy="USD">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
              <BookgDt><Dt>2024-03-05</Dt></BookgDt><AcctSvcrRef>BATCH-9</AcctSvcrRef>
              <NtryDtls>
                <TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs><Amt Ccy="USD">60.00</Amt><RmtInf><Ustrd>100000017</Ustrd></RmtInf></TxDtls>
                <TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="USD">40.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>100000025</Ustrd></RmtInf></TxDtls>
              </NtryDtls></Ntry>
            """);

        var lines = Read(xml).Select(e => e.Line!).ToList();

        lines.Select(l => (l.TransactionId, l.AffiliationNumber, l.Amount)).ShouldBe([
            ("BATCH-9/E2E-1/60.00/ISSS-SALEX", "100000017", 60.00m), ("BATCH-9/#2/40.00/ISSS-SALEX", "100000025",
                40.00m)]);
    }

    [Fact]
    public void a_foreign_currency_three_decimals_or_a_future_date_is_malformed_and_the_others_go_on()
    {
        var entries = Read(Statement(
            Entry("58.72", "100000017", "X-1", currency: "EUR")
            + Entry("58.725", "100000017", "X-2")
            + Entry("58.72", "100000017", "X-3", booking: "<DtTm>2027-01-01T10:00:00-06:00</DtTm>")
            + Entry("58.72", "100000017", "X-4")));

        entries.Select(e => e.Malformed?.Reason is null).ShouldBe([false, false, false, true]);
        entries[0].Malformed!.Reason.ShouldContain("EUR");
        entries[1].Malformed!.Reason.ShouldContain("more than two decimals");
        entries[2].Malformed!.Reason.ShouldContain("future");
    }

    [Fact]
    public void xml_that_is_not_a_statement_is_refused_whole()
    {
        Should.Throw<BankFileRefused>(() => Read("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn/></Document>"))
            .Message.ShouldContain("camt.053");
        Should.Throw<BankFileRefused>(() => Read("<Document><BkToCstmrStmt><Stmt>")).Message.ShouldContain("cannot be read");
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><Document/>", BankFileFormat.Camt053)]
    [InlineData("\uFEFF  \r\n<Document/>", BankFileFormat.Camt053)]
    [InlineData("bankCode,transactionId", BankFileFormat.Csv)]
    [InlineData("  \n ", null)]
    public void the_format_is_told_by_the_first_character_that_is_not_white_space(string start, BankFileFormat? expected) =>
        Camt053.FormatOf(Encoding.UTF8.GetBytes(start)).ShouldBe(expected);
}
