using Alba;
using Marten;
using NodaTime;
using Salex.Ledger.Calendar;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Property test: for random payment histories, the rights answered from the read model equal the rights
/// computed from the raw events by a deliberately naive oracle (a day-by-day walk that shares no code with
/// the ledger's rules but the business calendar), on random dates.
/// </summary>
public sealed class RightsPropertyTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task rights_from_the_read_model_equal_rights_replayed_naively_from_the_events()
    {
        var random = new Random(20261123);
        var checkedDates = 0;
        var seen = new HashSet<string>();
        for (var person = 0; person < 12; person++)
        {
            var enrolledOn = new LocalDate(2019, 1, 1).PlusDays(random.Next(0, 700));
            var number = await Host.EnrolAsync(enrolledOn: Dates.Format(enrolledOn));

            // Payments at random dates, most soon after a due date, some very late, some in advance.
            var paidOn = enrolledOn;
            for (var i = 0; i < 14; i++)
            {
                paidOn = paidOn.PlusDays(random.Next(random.Next(4) == 0 ? 40 : 5, random.Next(4) == 0 ? 130 : 45));
                var periods = random.Next(1, random.Next(5) == 0 ? 8 : 3);
                var amount = periods * 68.04m + random.Next(0, 800) / 100m;
                var result = await Host.Scenario(s =>
                {
                    s.Post.Json(Scenarios.PaymentBody(Dates.Format(paidOn), amount, $"P{person}-{i}")).ToUrl($"/api/insured/{number}/payments");
                    s.WithRequestHeader("X-Api-Key", Keys.Finance);
                    s.IgnoreStatusCode();
                });
                result.Context.Response.StatusCode.ShouldBeOneOf(201, 422); // 422: past the advance limit, or after a lapse
            }

            await using var session = Fixture.Store.QuerySession();
            var events = (await session.Events.FetchStreamAsync(number)).Select(e => e.Data).ToList();
            for (var d = 0; d < 25; d++)
            {
                var date = enrolledOn.PlusDays(random.Next(-20, 1500));
                var expected = NaiveOracle.StatusOn(events, date);
                var actual = await Host.RightsAsync(number, Dates.Format(date));
                actual.Status.ShouldBe(expected, $"account {number} on {Dates.Format(date)}");
                seen.Add(expected);
                checkedDates++;
            }
        }
        checkedDates.ShouldBe(12 * 25);
        seen.ShouldBe(["NotCovered", "Active", "Arrears", "Lapsed"], ignoreOrder: true); // the histories reach every status
    }

    private static class NaiveOracle
    {
        private static readonly BusinessCalendar Calendar = BusinessCalendar.ElSalvador;

        public static string StatusOn(IReadOnlyList<object> events, LocalDate date)
        {
            var enrolled = events.OfType<Enrolled>().Single();
            var paidOn = events.OfType<ContributionPaid>().SelectMany(e => e.Periods.Select(p => (p.Period, e.Source.PaidOn)))
                .Concat(events.OfType<AdvancePaid>().SelectMany(e => e.Periods.Select(p => (p.Period, e.Source.PaidOn))))
                .ToDictionary(x => x.Period, x => x.PaidOn);
            var start = enrolled.FirstPeriod.OnDayOfMonth(1);
            if (date < start) return "NotCovered";

            // Walk every day from the start; on each day count the periods overdue and unpaid that day.
            var lapsed = false;
            var overdueToday = 0;
            for (var day = start; day <= date; day = day.PlusDays(1))
            {
                overdueToday = 0;
                for (var p = enrolled.FirstPeriod; Calendar.DueDate(p) < day; p = p.PlusMonths(1))
                    if (!paidOn.TryGetValue(p, out var on) || on > day) overdueToday++;
                if (overdueToday >= 3) { lapsed = true; break; }
            }
            return lapsed ? "Lapsed" : overdueToday > 0 ? "Arrears" : "Active";
        }
    }
}
