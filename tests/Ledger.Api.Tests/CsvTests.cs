using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The CSV writer alone: no host, no database.</summary>
public sealed class CsvTests
{
    [Fact]
    public void fields_with_commas_quotes_or_line_breaks_are_quoted_and_quotes_doubled()
    {
        Csv.Line(["plain", "a,b", "say \"hi\"", "two\nlines", null]).ShouldBe("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",");
    }

    [Fact]
    public void money_has_two_decimals_and_dates_periods_are_iso_in_any_culture()
    {
        var before = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("es-SV");
        try
        {
            Csv.Line([58.7m, 1234.5m, 0.0932m, 3, new LocalDate(2024, 3, 5), new YearMonth(2024, 3), true])
                .ShouldBe("58.70,1234.50,0.0932,3,2024-03-05,2024-03,true");
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = before;
        }
    }

    [Fact]
    public void a_document_is_a_header_row_then_one_crlf_terminated_row_each()
    {
        Csv.Write(["year", "total"], [[2018, 10m], [2019, 20.5m]]).ShouldBe("year,total\r\n2018,10.00\r\n2019,20.50\r\n");
    }

    [Fact]
    public void text_a_spreadsheet_would_run_as_a_formula_is_made_inert_but_negative_money_stays_a_number()
    {
        Csv.Line(["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "AGRICOLA", -4.08m])
            .ShouldBe("\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),AGRICOLA,-4.08");
    }
}
