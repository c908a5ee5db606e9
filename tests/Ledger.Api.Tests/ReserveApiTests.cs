using Alba;
using Marten.Events;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Reserve;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class ReserveApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task the_reserve_counts_base_contributions_by_payment_year_without_surcharges()
    {
        var a = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var b = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var c = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(a, "2018-02-01", 12 * 55.92m);        // 2018-02 .. 2019-01, all paid in 2018
        await Host.PayAsync(b, "2018-03-05", 58.72m);             // 2018-02 5 days late: base 55.92, surcharge 2.80 excluded
        await Host.PayAsync(c, "2018-02-10", 55.92m);
        await Host.PayAsync(a, "2019-01-10", 55.92m);             // 2019-02 in advance: counts in 2019, the year it was paid

        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
        var year = await Host.GetJsonAsync<ReserveYearAccrual>("/api/reserve/2018", Keys.Finance);

        // 2018: 12 × 55.92 + 55.92 + 55.92 = 782.88 from 3 insured; 5 % = 39.144 → 39.14; limit 0.30.
        year.BaseContributions.ShouldBe(782.88m);
        year.Insured.ShouldBe(3);
        year.FivePercent.ShouldBe(39.14m);
        year.AnnualLimit.ShouldBe(0.30m);
        year.Accrued.ShouldBe(0.30m);

        var all = await Host.GetJsonAsync<ReserveReport>("/api/reserve", Keys.Auditor);
        all.Years.Select(y => y.Year).ShouldBe([2018, 2019]);
        all.Years[1].Insured.ShouldBe(1);
        all.Years[1].BaseContributions.ShouldBe(55.92m);
        all.Total.ShouldBe(0.30m + 0.10m); // 2019: one insured → limit 0.10
    }

    /// <summary>A year that is not a number was the framework's 404 naming nothing (the route took an int); it is a 400
    /// naming <c>year</c>, and so is a year past the ledger's range. A year without contributions stays 404.</summary>
    [Theory]
    [InlineData("abc", 400)]
    [InlineData("2018.5", 400)]
    [InlineData("-2018", 400)]
    [InlineData("99999999999", 400)]
    [InlineData("1899", 400)]
    [InlineData("2200", 400)]
    [InlineData("2019", 404)]
    public async Task a_year_that_is_not_one_is_a_problem_naming_year(string year, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/reserve/{year}");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(status);
        });
        (await result.ProblemAsync()).Errors!.Keys.ShouldBe(["year"]);
    }
}
