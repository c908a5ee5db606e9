using System.Diagnostics;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Calendar;
using Shouldly;
using Xunit.Abstractions;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Property test: for random histories (payments through the API and bank files, recorded out of date order,
/// returns, withdrawals, re-enrolments), the rights answered from the read model and the account summary equal
/// what a deliberately naive oracle computes from the raw events: a day-by-day walk that shares no code with the
/// ledger's rules but the business calendar. The recorded events themselves must respect the coverage: no
/// period paid after the last payable one as known when the money was recorded.
/// </summary>
public sealed class RightsPropertyTests(LedgerHost fixture, ITestOutputHelper output) : LedgerTest(fixture)
{
    private const int Histories = 200;

    [Fact]
    public async Task rights_and_summary_from_the_read_model_equal_a_naive_replay_of_the_events()
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(20261123);
        var regime = Host.Services.GetRequiredService<Regime>();
        var statuses = new HashSet<string>();
        var actions = new Dictionary<string, int>();
        var (checkedDates, checkedSummaries) = (0, 0);
        var summaries = new List<(LocalDate On, string After, Features.Accounts.AccountSummary Summary)>();

        for (var person = 0; person < Histories; person++)
        {
            var dui = Scenarios.NewDui();
            var today = new LocalDate(2022, 1, 1).PlusDays(random.Next(0, 900));
            SetToday(today);
            var number = await Enrol(dui, today.PlusDays(-random.Next(0, 25)), 201);
            var first = today;

            for (var step = 0; step < 9; step++)
            {
                today = today.PlusDays(random.Next(0, 4) == 0 ? random.Next(40, 120) : random.Next(0, 40));
                SetToday(today);
                var roll = random.Next(100);
                var (action, status) = roll switch
                {
                    < 55 => ("payment", await Pay(number, PaidOn(random, today), Amount(random), $"P{person}-{step}")),
                    < 62 => ("bank file", await ImportLine(number, PaidOn(random, today), Amount(random), $"F{person}-{step}")),
                    < 72 => ("return", await Lifecycle(number, "return", "returnedOn", today.PlusDays(-random.Next(0, 150)))),
                    < 84 => ("withdrawal", await Lifecycle(number, "withdraw", "effectiveOn",
                        today.PlusDays(random.Next(0, 10) == 0 ? 3 : -random.Next(0, 150)))),
                    _ => ("re-enrolment", await Enrol(dui, today.PlusDays(-random.Next(0, 20)), null) is null ? 0 : 201),
                };
                var key = $"{action} {status}";
                actions[key] = actions.GetValueOrDefault(key) + 1;

                // The summary of each day, checked below against the events recorded by then (a prefix of the stream).
                summaries.Add((today, key, await Host.SummaryAsync(number)));
            }

            await using var session = Fixture.Store.QuerySession();
            var account = (await session.LoadAsync<Account>(number))!;
            var events = await EventsOf(number);
            foreach (var (on, key, summary) in summaries)
            {
                var oracle = new NaiveOracle(events.Take((int)summary.Version).ToList());
                oracle.CheckRecordedMoney();
                (summary.Status, summary.PaidThrough, summary.LastPayablePeriod, summary.MonthsPayableInAdvance, summary.Credit)
                    .ShouldBe(oracle.SummaryOn(on), $"account {number} on {Dates.Format(on)} after {key}");
                checkedSummaries++;
            }
            summaries.Clear();
            var replay = new NaiveOracle(events);
            for (var d = 0; d < 12; d++)
            {
                var date = first.PlusDays(random.Next(-40, Period.Between(first, today, PeriodUnits.Days).Days + 400));
                var (status, coveredThrough) = replay.RightsOn(date);
                // Most dates in process from the stored read model, a few through HTTP: both answer with RightsAnswer.
                var actual = d < 2 ? await Host.RightsAsync(number, Dates.Format(date)) : RightsAnswer.Of(account, date, regime);
                (actual.Status, actual.CoveredThrough).ShouldBe((status, coveredThrough), $"account {number} on {Dates.Format(date)}");
                statuses.Add(status);
                checkedDates++;
            }
        }

        output.WriteLine($"{Histories} histories, {checkedSummaries} summaries, {checkedDates} dates in {watch.Elapsed.TotalSeconds:0.0} s");
        foreach (var (key, count) in actions.OrderBy(a => a.Key)) output.WriteLine($"{key}: {count}");
        checkedDates.ShouldBe(Histories * 12);
        statuses.ShouldBe(["NotCovered", "Active", "Arrears", "Lapsed"], ignoreOrder: true); // the histories reach every status
        foreach (var accepted in new[] { "payment 201", "bank file 200", "return 200", "withdrawal 200", "re-enrolment 201", "payment 422" })
            actions.GetValueOrDefault(accepted).ShouldBeGreaterThan(5, $"the histories exercise '{accepted}'");
    }

    /// <summary>Mostly recent money; sometimes long back-dated, recorded out of date order.</summary>
    private static LocalDate PaidOn(Random random, LocalDate today) =>
        today.PlusDays(-(random.Next(0, 5) == 0 ? random.Next(0, 200) : random.Next(0, 12)));

    private static decimal Amount(Random random) =>
        random.Next(1, random.Next(0, 6) == 0 ? 16 : 4) * 68.04m + random.Next(0, 3) * random.Next(0, 900) / 100m;

    private void SetToday(LocalDate date) => Fixture.Clock.Reset(date.At(new LocalTime(12, 0)).InUtc().ToInstant().Plus(Duration.FromHours(6)));

    private async Task<IReadOnlyList<object>> EventsOf(string number)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(number)).Select(e => e.Data).ToList();
    }

    private async Task<int> Pay(string number, LocalDate paidOn, decimal amount, string reference)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody(Dates.Format(paidOn), amount, reference)).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        status.ShouldBeOneOf(201, 400, 422); // 400: before the enrolment; 422: past the last payable period or no open episode
        return status;
    }

    private async Task<int> ImportLine(string number, LocalDate paidOn, decimal amount, string reference)
    {
        var summary = await Host.ImportCsvAsync(BankFiles.Csv(
            $"AGRICOLA,{reference},{Dates.Format(paidOn)}T10:00:00-06:00,{number}," +
            $"{amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)},ONLINE"));
        summary.Balanced.ShouldBeTrue();
        return 200;
    }

    private async Task<int> Lifecycle(string number, string route, string field, LocalDate date)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new Dictionary<string, string> { [field] = Dates.Format(date) }).ToUrl($"/api/insured/{number}/{route}");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        status.ShouldBeOneOf(200, 400, 409, 422);
        return status;
    }

    private async Task<string?> Enrol(string dui, LocalDate enrolledOn, int? expected)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui, enrolledOn: Dates.Format(enrolledOn))).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        if (expected is { } e) status.ShouldBe(e);
        else status.ShouldBeOneOf(201, 400, 409); // 409: the episode is still open; 400: the first period overlaps the last one
        return status == 201 ? (await result.ReadAsJsonAsync<Features.Enrolling.EnrolResponse>())!.AffiliationNumber : null;
    }

    /// <summary>
    /// The rules replayed the slow, obvious way. An episode runs from its <c>Enrolled</c> to the next. A period is
    /// paid on a day if money for it was paid by then and it was not refunded by then. Walking every day from the
    /// enrolment, the episode ends on the first day that is its withdrawal day, the day after its return window,
    /// or a day with 3 periods overdue and unpaid.
    /// </summary>
    private sealed class NaiveOracle
    {
        private static readonly BusinessCalendar Calendar = BusinessCalendar.ElSalvador;
        private const int Lapse = 3;
        private readonly List<EpisodeFacts> _episodes = [];
        private readonly decimal _credit;

        private sealed class EpisodeFacts
        {
            public LocalDate EnrolledOn;
            public YearMonth First;
            public LocalDate? ReturnedOn;
            public LocalDate? WithdrawnOn;
            public readonly Dictionary<YearMonth, LocalDate> PaidOn = [];
            public readonly Dictionary<YearMonth, LocalDate> RefundedOn = [];
            // Every payment in recording order with what the ledger knew when it was recorded.
            public readonly List<(LocalDate PaidOn, YearMonth Period, LocalDate? ReturnedBefore, LocalDate? WithdrawnBefore)> Recorded = [];
            public LocalDate? EndsOn;
            public LocalDate WalkedTo;

            public LocalDate? WindowEnd => ReturnedOn?.PlusMonths(6);
        }

        public NaiveOracle(IReadOnlyList<object> events)
        {
            EpisodeFacts? current = null;
            foreach (var e in events)
            {
                switch (e)
                {
                    case Enrolled en:
                        current = new EpisodeFacts { EnrolledOn = en.EnrolledOn, First = en.FirstPeriod };
                        _episodes.Add(current);
                        break;
                    // Money dated inside an earlier episode and recorded after a re-enrolment names the episode it pays.
                    case ContributionPaid c: Paid(c.Episode is { } n ? _episodes[n - 1] : current!, c.Source.PaidOn, c.Periods.Select(p => p.Period)); break;
                    case AdvancePaid a: Paid(a.Episode is { } m ? _episodes[m - 1] : current!, a.Source.PaidOn, a.Periods.Select(p => p.Period)); break;
                    case Returned r: current!.ReturnedOn = r.ReturnedOn; break;
                    case Lapsed { Reason: LapseReason.Withdrawal } w: current!.WithdrawnOn = w.EffectiveOn; break;
                    case RefundDue r:
                        foreach (var p in r.Periods) current!.RefundedOn[p.Period] = r.EffectiveOn ?? r.RecordedOn;
                        break;
                    case CreditRecorded c: _credit += c.Amount; break;
                    case CreditApplied c: _credit -= c.Amount; break;
                }
            }
        }

        private static void Paid(EpisodeFacts episode, LocalDate paidOn, IEnumerable<YearMonth> periods)
        {
            foreach (var p in periods)
            {
                episode.PaidOn.ContainsKey(p).ShouldBeFalse($"period {Periods.Format(p)} paid twice");
                episode.PaidOn[p] = paidOn;
                episode.Recorded.Add((paidOn, p, episode.ReturnedOn, episode.WithdrawnOn));
            }
        }

        /// <summary>Issue 17: money never buys a period the coverage, as known when it was recorded, cannot reach.</summary>
        public void CheckRecordedMoney()
        {
            for (var i = 0; i < _episodes.Count; i++)
            foreach (var (paidOn, period, returnedOn, withdrawnOn) in _episodes[i].Recorded)
            {
                var episode = _episodes[i];
                var what = $"period {Periods.Format(period)} paid on {Dates.Format(paidOn)}";
                paidOn.ShouldBeGreaterThanOrEqualTo(episode.EnrolledOn, what);
                // Money is dated inside the episode it pays, and what it keeps paid (not refunded at a return or withdrawal)
                // is none of a later episode's periods.
                if (i + 1 < _episodes.Count)
                {
                    paidOn.ShouldBeLessThan(_episodes[i + 1].EnrolledOn, what);
                    if (!episode.RefundedOn.ContainsKey(period))
                        period.ShouldBeLessThan(_episodes[i + 1].First, $"{what}: the next episode begins with it");
                }
                period.ShouldBeLessThanOrEqualTo(paidOn.ToYearMonth().PlusMonths(12), what);
                if (returnedOn is { } r)
                {
                    period.ShouldBeLessThanOrEqualTo(r.PlusMonths(6).ToYearMonth(), $"{what} after the return of {Dates.Format(r)}");
                    paidOn.ShouldBeLessThanOrEqualTo(r.PlusMonths(6), what);
                }
                if (withdrawnOn is { } w)
                {
                    period.ShouldBeLessThanOrEqualTo(w.PlusDays(-1).ToYearMonth(), $"{what} after the withdrawal of {Dates.Format(w)}");
                    paidOn.ShouldBeLessThan(w, what);
                }
            }
        }

        private static bool IsPaid(EpisodeFacts e, YearMonth p, LocalDate day) =>
            e.PaidOn.TryGetValue(p, out var on) && on <= day && !(e.RefundedOn.TryGetValue(p, out var refunded) && refunded <= day);

        private static readonly Dictionary<YearMonth, LocalDate> DueDates = [];

        private static LocalDate Due(YearMonth p)
        {
            lock (DueDates)
            {
                if (!DueDates.TryGetValue(p, out var due)) DueDates[p] = due = Calendar.DueDate(p);
                return due;
            }
        }

        /// <summary>The first day without coverage on or before <paramref name="date"/>, found by walking every day from the enrolment.</summary>
        private static LocalDate? EndOf(EpisodeFacts e, LocalDate date)
        {
            if (e.EndsOn is not null) return e.EndsOn <= date ? e.EndsOn : null;
            if (e.WalkedTo == default) e.WalkedTo = e.EnrolledOn.PlusDays(-1);
            for (var day = e.WalkedTo.PlusDays(1); day <= date; day = day.PlusDays(1))
            {
                e.WalkedTo = day;
                if (e.WithdrawnOn is { } w && day >= w) return e.EndsOn = day;
                if (e.WindowEnd is { } until && day > until) return e.EndsOn = day;
                var overdue = 0;
                for (var p = e.First; Due(p) < day; p = p.PlusMonths(1))
                    if (!IsPaid(e, p, day)) overdue++;
                if (overdue >= Lapse) return e.EndsOn = day;
            }
            return null;
        }

        /// <summary>The last period of the unbroken run of periods paid on the day, from the first one.</summary>
        private static YearMonth? PaidThrough(EpisodeFacts e, LocalDate day)
        {
            YearMonth? through = null;
            for (var p = e.First; IsPaid(e, p, day); p = p.PlusMonths(1)) through = p;
            return through;
        }

        private static YearMonth? LastCovered(EpisodeFacts e, LocalDate day)
        {
            var through = PaidThrough(e, day);
            YearMonth? bound = e.WithdrawnOn is { } w && w <= day ? w.PlusDays(-1).ToYearMonth()
                : e.WindowEnd is { } until && until < day ? until.ToYearMonth() : null;
            return through is { } t && bound is { } b && t > b ? b : through;
        }

        public (string Status, string? CoveredThrough) RightsOn(LocalDate date)
        {
            var (status, covered) = Rights(date);
            return (status, covered is { } c ? Periods.Format(c) : null);
        }

        private (string Status, YearMonth? CoveredThrough) Rights(LocalDate date)
        {
            var index = _episodes.FindLastIndex(e => e.EnrolledOn <= date);
            if (index < 0) return ("NotCovered", null);
            var e = _episodes[index];
            if (date < e.First.OnDayOfMonth(1))
                return index == 0 ? ("NotCovered", null) : ("Lapsed", LastCovered(_episodes[index - 1], date));
            if (EndOf(e, date) is not null) return ("Lapsed", LastCovered(e, date));

            var paidThrough = PaidThrough(e, date);
            for (var p = e.First; Due(p) < date; p = p.PlusMonths(1))
                if (!IsPaid(e, p, date)) return ("Arrears", paidThrough);
            var month = date.ToYearMonth();
            var covered = paidThrough is { } t && t > month ? t : month;
            if (e.ReturnedOn is { } r && r <= date && covered > e.WindowEnd!.Value.ToYearMonth()) covered = e.WindowEnd.Value.ToYearMonth();
            return ("Active", covered);
        }

        public (string Status, string? PaidThrough, string? LastPayablePeriod, int MonthsPayableInAdvance, decimal Credit) SummaryOn(LocalDate today)
        {
            var e = _episodes[^1];
            var (status, _) = Rights(today);
            var paidThrough = PaidThrough(e, today);
            if (EndOf(e, today) is not null)
                return (status, Format(paidThrough), null, 0, _credit);
            var last = today.ToYearMonth().PlusMonths(12);
            if (e.WindowEnd is { } until && until.ToYearMonth() < last) last = until.ToYearMonth();
            var from = paidThrough ?? e.First.PlusMonths(-1);
            var months = 0;
            for (var p = from.PlusMonths(1); p <= last; p = p.PlusMonths(1)) months++;
            return (status, Format(paidThrough), Periods.Format(last), months, _credit);
        }

        private static string? Format(YearMonth? period) => period is { } p ? Periods.Format(p) : null;
    }
}
