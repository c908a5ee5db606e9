using Salex.Projections.Payments;
using Alba;
using Salex.Ledger.Api.Features.Paying;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class PaymentApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task worked_example_paid_five_days_late_carries_five_percent()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");

        var payment = await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345");

        var line = payment.Allocations.ShouldHaveSingleItem();
        line.Period.ShouldBe("2018-02");
        line.Kind.ShouldBe("Contribution");
        line.Base.ShouldBe(55.92m);
        line.DueDate.ShouldBe("2018-02-28");
        line.DaysLate.ShouldBe(5);
        line.Surcharge.ShouldBe(2.80m);
        payment.Credit.ShouldBe(0m);
        payment.RefundDue.ShouldBe(0m);
    }

    [Fact]
    public async Task worked_example_paid_twenty_days_late_carries_ten_percent()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var payment = await Host.PayAsync(number, "2018-03-20", 61.51m);
        var line = payment.Allocations.ShouldHaveSingleItem();
        line.DaysLate.ShouldBe(20);
        line.Surcharge.ShouldBe(5.59m);
        line.Total.ShouldBe(61.51m);
    }

    [Fact]
    public async Task money_is_written_with_two_decimals()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-03-05", 58.72m, "R-2DEC")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(201);
        });
        var text = await result.ReadAsTextAsync();
        text.ShouldContain("\"surcharge\":2.80");
        text.ShouldContain("\"credit\":0.00");
    }

    [Fact]
    public async Task a_2022_period_costs_68_04_and_ten_days_late_adds_3_40()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2022-04-10", firstPeriod: "2022-05");
        // 2022-05 is due on Tuesday 2022-05-31; ten days later is 2022-06-10.
        var payment = await Host.PayAsync(number, "2022-06-10", 71.44m);
        var line = payment.Allocations.ShouldHaveSingleItem();
        line.Base.ShouldBe(68.04m);
        line.DaysLate.ShouldBe(10);
        line.Surcharge.ShouldBe(3.40m);
    }

    [Fact]
    public async Task one_payment_over_the_rate_change_pays_each_period_at_its_own_rate()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2021-11-05", firstPeriod: "2021-12");
        // On 2021-12-01 nothing is late: 2021-12 at 55.92 plus 2022-01 at 68.04 = 123.96.
        var payment = await Host.PayAsync(number, "2021-12-01", 123.96m);
        payment.Allocations.Select(a => (a.Period, a.Kind, a.Base)).ShouldBe(
            [("2021-12", "Contribution", 55.92m), ("2022-01", "Advance", 68.04m)]);
    }

    [Fact]
    public async Task an_amount_that_does_not_make_a_whole_period_stays_as_credit_and_is_used_next_time()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var first = await Host.PayAsync(number, "2018-02-01", 60.00m);   // 55.92 for 2018-02, 4.08 left
        first.Credit.ShouldBe(4.08m);
        (await Host.SummaryAsync(number)).Credit.ShouldBe(4.08m);

        var second = await Host.PayAsync(number, "2018-03-01", 51.84m);  // 51.84 + 4.08 = 55.92 for 2018-03
        second.CreditApplied.ShouldBe(4.08m);
        second.Allocations.ShouldHaveSingleItem().Period.ShouldBe("2018-03");
        (await Host.SummaryAsync(number)).Credit.ShouldBe(0.00m);
    }

    [Fact]
    public async Task the_same_reference_with_the_same_body_answers_200_with_the_first_result()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var first = await Host.PayAsync(number, "2018-03-05", 58.72m, "REF-1");
        var events = await Host.EventCountAsync();

        var again = await Host.PayAsync(number, "2018-03-05", 58.72m, "REF-1", expectedStatus: 200);

        again.ShouldBeEquivalentTo(first);
        (await Host.EventCountAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task the_same_reference_with_a_different_body_is_a_conflict()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m, "REF-2");
        var result = await Post(number, Scenarios.PaymentBody("2018-03-05", 117.44m, "REF-2"), 409);
        (await result.ProblemAsync()).Errors!.ShouldContainKey("reference");
    }

    [Theory]
    [InlineData(0, "amount")]
    [InlineData(-5, "amount")]
    [InlineData(58.725, "amount")]
    public async Task a_bad_amount_is_refused_naming_it(decimal amount, string field)
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var result = await Post(number, Scenarios.PaymentBody("2018-03-05", amount, "REF-A"), 400);
        (await result.ProblemAsync()).Errors!.ShouldContainKey(field);
    }

    [Fact]
    public async Task a_payment_dated_in_the_future_is_refused()
    {
        Today(2026, 11, 23);
        var number = await Host.EnrolAsync(enrolledOn: "2026-10-01");
        var result = await Post(number, Scenarios.PaymentBody("2026-11-24", 68.04m, "REF-F"), 400);
        (await result.ProblemAsync()).Errors!.ShouldContainKey("paidOn");
    }

    [Fact]
    public async Task an_unknown_channel_is_refused_naming_it()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var result = await Post(number, Scenarios.PaymentBody("2018-03-05", 58.72m, "REF-C", channel: "PIGEON"), 400);
        (await result.ProblemAsync()).Errors!.ShouldContainKey("channel");
    }

    [Fact]
    public async Task a_payment_to_an_unknown_account_is_404()
    {
        var result = await Post("999999999", Scenarios.PaymentBody("2018-03-05", 58.72m, "REF-U"), 404);
        (await result.ProblemAsync()).Errors!.ShouldContainKey("affiliationNumber");
    }

    [Fact]
    public async Task a_payment_past_the_advance_limit_is_422_and_records_nothing()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var events = await Host.EventCountAsync();
        // Paid on 2018-02-01 the last payable period is 2019-02: 2018-02..2019-02 is 13 periods.
        var result = await Post(number, Scenarios.PaymentBody("2018-02-01", 14 * 55.92m, "REF-L"), 422);
        (await result.ProblemAsync()).Errors!.ShouldContainKey("amount");
        (await Host.EventCountAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task a_payment_reaching_exactly_the_advance_limit_is_accepted()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var payment = await Host.PayAsync(number, "2018-02-01", 13 * 55.92m);
        payment.Allocations.Count.ShouldBe(13);
        payment.Allocations[^1].Period.ShouldBe("2019-02");
        payment.Allocations.Count(a => a.Kind == "Contribution").ShouldBe(1);
    }

    [Fact]
    public async Task payments_racing_on_one_account_are_all_applied_in_order_and_no_period_is_paid_twice()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var payments = Enumerable.Range(1, 8).Select(i => Task.Run(() => Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-02-01", 55.92m, $"RACE-{i}")).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(201);
        })));
        var results = await Task.WhenAll(payments);

        var periods = new List<string>();
        foreach (var r in results) periods.AddRange((await r.ReadAsJsonAsync<PaymentResponse>())!.Allocations.Select(a => a.Period));
        periods.Order().ShouldBe(["2018-02", "2018-03", "2018-04", "2018-05", "2018-06", "2018-07", "2018-08", "2018-09"]);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-09");
    }

    private Task<IScenarioResult> Post(string number, object body, int status) => Host.Scenario(s =>
    {
        s.Post.Json(body).ToUrl($"/api/insured/{number}/payments");
        s.WithRequestHeader("X-Api-Key", Keys.Finance);
        s.StatusCodeShouldBe(status);
    });
}
