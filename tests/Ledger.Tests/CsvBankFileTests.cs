using NodaTime;
using Salex.Ledger.BankFiles;
using Shouldly;

namespace Salex.Ledger.Tests;

public sealed class CsvBankFileTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 12, 0);

    private static List<BankFileEntry> Read(string text) => CsvBankFile.Read(new StringReader(text), Now).ToList();

    [Fact]
    public void lines_are_numbered_as_in_the_file_with_the_header_as_line_1_and_blank_lines_skipped()
    {
        var entries = Read($"{BankFileLines.Header}\r\nAGRICOLA,T-1,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE\r\n\r\nAGRICOLA,T-2,2024-03-05T10:15:00-06:00,100000017,58,72,ONLINE");

        entries.Select(e => (e.Number, e.Line is not null)).ShouldBe([(2, true), (4, false)]);
    }

    [Fact]
    public void a_line_longer_than_the_limit_is_malformed_without_being_kept_whole()
    {
        var longLine = "AGRICOLA,T-1," + new string('x', CsvBankFile.MaxLineLength * 10);
        var entries = Read($"{BankFileLines.Header}\n{longLine}\nAGRICOLA,T-2,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE\n");

        entries[0].Malformed.ShouldNotBeNull().Reason.ShouldContain("longer than");
        entries[0].Malformed!.Text.Length.ShouldBeLessThan(200);
        entries[1].Line.ShouldNotBeNull().TransactionId.ShouldBe("T-2");
    }

    [Fact]
    public void a_line_of_exactly_the_limit_ending_in_crlf_is_not_too_long()
    {
        var line = "AGRICOLA,T-1,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE";
        // Padded with blanks around a field (fields are trimmed): every field has a length limit of its own.
        var padded = line.Replace("58.72", "58.72" + new string(' ', CsvBankFile.MaxLineLength - line.Length));
        padded.Length.ShouldBe(CsvBankFile.MaxLineLength);

        Read($"{BankFileLines.Header}\r\n{padded}\r\n").Single().Line.ShouldNotBeNull();
    }

    [Fact]
    public void a_file_without_the_header_or_with_nothing_is_refused()
    {
        Should.Throw<BankFileRefused>(() => Read("AGRICOLA,T-1,2024-03-05T10:15:00-06:00,100000017,58.72,ONLINE\n"));
        Should.Throw<BankFileRefused>(() => Read(""));
        Read(BankFileLines.Header).ShouldBeEmpty();
    }
}
