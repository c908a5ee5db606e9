using System.Globalization;
using Alba;
using Marten.Events;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Reserve;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>History and reserve reports as CSV for the auditors' spreadsheets (Accept: text/csv).</summary>
public sealed class ExportApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private async Task<string> CsvAsync(string url, string key = Keys.Auditor)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("X-Api-Key", key);
            s.WithRequestHeader("Accept", "text/csv");
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("text/csv; charset=utf-8");
        });
        result.Context.Response.Headers.ContentDisposition.ToString().ShouldStartWith("attachment");
        return result.ReadAsText();
    }

    private static string Money(decimal d) => d.ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task the_history_downloads_as_csv_one_row_per_event_with_its_json_quoted()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m, "CSV-1");
        var json = await Host.GetJsonAsync<HistoryPage>($"/api/insured/{number}/history", Keys.Auditor);

        var lines = (await CsvAsync($"/api/insured/{number}/history")).Split("\r\n");
        lines[0].ShouldBe("version,sequence,type,recordedAt,recordedBy,correlationId,causationId,data");
        lines.Length.ShouldBe(json.TotalEvents + 2);          // header, one row per event, and the last CRLF
        lines[^1].ShouldBeEmpty();
        lines[2].ShouldStartWith($"2,{json.Events[1].Sequence},contribution_paid,");
        lines[2].ShouldContain(",dev-finance (finance),");
        // The JSON has commas and quotes: the field is quoted and its quotes doubled (RFC 4180).
        lines[2].ShouldContain("\"{\"\"source\"\":{\"\"paidOn\"\":\"\"2018-02-01\"\"");
        lines[2].ShouldContain("\"\"reference\"\":\"\"CSV-1\"\"");
    }

    [Fact]
    public async Task the_reserve_downloads_as_csv_with_money_to_two_decimals()
    {
        var a = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(a, "2018-02-01", 11 * 55.92m);   // 2018-02 … 2018-12
        await Host.PayAsync(a, "2019-01-10", 55.92m);
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
        var report = await Host.GetJsonAsync<ReserveReport>("/api/reserve", Keys.Auditor);

        static string Row(ReserveYearAccrual y) => string.Join(',', y.Year, Money(y.BaseContributions), y.Insured, Money(y.FivePercent),
            Money(y.AnnualLimit), Money(y.TotalLimit), Money(y.Accrued), y.AnnualLimitApplied ? "true" : "false", y.TotalLimitApplied ? "true" : "false", Money(y.RunningTotal));
        const string header = "year,baseContributions,insured,fivePercent,annualLimit,totalLimit,accrued,annualLimitApplied,totalLimitApplied,runningTotal";

        (await CsvAsync("/api/reserve")).ShouldBe($"{header}\r\n{Row(report.Years[0])}\r\n{Row(report.Years[1])}\r\n");
        (await CsvAsync("/api/reserve/2019", Keys.Finance)).ShouldBe($"{header}\r\n{Row(report.Years[1])}\r\n");
        Row(report.Years[0]).ShouldStartWith("2018,615.12,1,30.76,");   // 11 × 55.92; 5 % = 30.756
    }

    [Fact]
    public async Task without_the_accept_header_the_answer_stays_json()
    {
        var number = await Host.EnrolAsync();
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/insured/{number}/history");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.StatusCodeShouldBe(200);
        });
        result.Context.Response.ContentType!.ShouldStartWith("application/json");
    }
}
