using NodaTime;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Contributions;
using Shouldly;

namespace Salex.Ledger.Tests;

public sealed class BankFileLineTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 18, 0);

    private static BankFileLine Parsed(string text)
    {
        var (line, malformed) = BankFileLines.Parse(2, text, Now);
        malformed.ShouldBeNull();
        return line.ShouldNotBeNull();
    }

    private static string Reason(string text)
    {
        var (line, malformed) = BankFileLines.Parse(7, text, Now);
        line.ShouldBeNull();
        malformed.ShouldNotBeNull().Number.ShouldBe(7);
        return malformed.Reason;
    }

    [Fact]
    public void the_spec_example_line()
    {
        var line = Parsed("AGRICOLA,000912345,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE");
        line.BankCode.ShouldBe("AGRICOLA");
        line.TransactionId.ShouldBe("000912345");
        line.AffiliationNumber.ShouldBe("100000017");
        line.Amount.ShouldBe(58.72m);
        line.Channel.ShouldBe(Channel.Online);
        line.PaidAt.ShouldBe(Instant.FromUtc(2024, 3, 5, 16, 15));
        line.PaidOn.ShouldBe(new LocalDate(2024, 3, 5));
        line.Source.ShouldBe(new PaymentSource(new LocalDate(2024, 3, 5), "AGRICOLA", "000912345", "ONLINE"));
    }

    [Fact]
    public void the_payment_date_is_el_salvadors()
    {
        // 01:30 UTC on 1 March is 19:30 on 29 February in El Salvador (UTC−6).
        Parsed("AGRICOLA,1,2024-03-01T01:30:00Z,100000017,58.72,BRANCH").PaidOn.ShouldBe(new LocalDate(2024, 2, 29));
        // An offset other than El Salvador's names the same instant: 23:30−05:00 is 22:30 in El Salvador, still 1 March.
        Parsed("AGRICOLA,1,2024-03-01T23:30:00-05:00,100000017,58.72,BRANCH").PaidOn.ShouldBe(new LocalDate(2024, 3, 1));
    }

    [Fact]
    public void bank_code_is_upper_case_and_fields_are_trimmed()
    {
        var line = Parsed(" agricola , 42 ,2024-03-05T10:15:00-06:00, 100000017 ,10, branch ");
        (line.BankCode, line.TransactionId, line.AffiliationNumber, line.Amount, line.Channel)
            .ShouldBe(("AGRICOLA", "42", "100000017", 10m, Channel.Branch));
    }

    [Theory]
    [InlineData("58,72", "found 7")]
    [InlineData("58.725", "more than two decimals")]
    [InlineData("0.00", "not positive")]
    [InlineData("-5.00", "not a number")]
    [InlineData("5.", "not a number")]
    [InlineData(".50", "not a number")]
    [InlineData("1e3", "not a number")]
    [InlineData("$58.72", "not a number")]
    public void bad_amounts(string amount, string reason) =>
        Reason($"AGRICOLA,1,2024-03-05T10:15:00-06:00,100000017,{amount},ONLINE").ShouldContain(reason);

    [Theory]
    [InlineData("2024-03-05")]
    [InlineData("2024-03-05T10:15:00")]
    [InlineData("2024-02-30T10:15:00-06:00")]
    [InlineData("05/03/2024 10:15")]
    public void bad_dates(string paidAt) =>
        Reason($"AGRICOLA,1,{paidAt},100000017,58.72,ONLINE").ShouldContain("paidAt");

    [Fact]
    public void a_date_after_now_is_malformed() =>
        Reason("AGRICOLA,1,2026-11-23T12:00:01-06:00,100000017,58.72,ONLINE").ShouldContain("future");

    [Fact]
    public void missing_fields_wrong_columns_and_unknown_channel()
    {
        Reason("AGRICOLA,,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE").ShouldContain("transactionId is missing");
        Reason("AGRICOLA,1,2024-03-05T10:15:00-06:00,,58.72,ONLINE").ShouldContain("affiliationNumber is missing");
        Reason("AGRICOLA,1,2024-03-05T10:15:00-06:00,100000017,58.72").ShouldContain("found 5");
        Reason("AGRICOLA,1,2024-03-05T10:15:00-06:00,100000017,58.72,ATM").ShouldContain("channel 'ATM'");
    }

    [Fact]
    public void the_header_is_recognised_with_a_byte_order_mark_and_any_case()
    {
        BankFileLines.IsHeader("\uFEFFbankCode,transactionId,paidAt,affiliationNumber,amount,channel").ShouldBeTrue();
        BankFileLines.IsHeader("BANKCODE,TRANSACTIONID,PAIDAT,AFFILIATIONNUMBER,AMOUNT,CHANNEL\r").ShouldBeTrue();
        BankFileLines.IsHeader("bankCode,transactionId,paidAt,amount,channel").ShouldBeFalse();
    }
}
