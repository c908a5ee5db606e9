using Marten;
using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The programme's indicators recomputed from the raw events, written for the tests without the ledger's fold,
/// standing or tally: each stream is read event by event, and the definitions of docs/indicators.md are applied
/// directly (stocks at each month's last day, flows within it). Only the business calendar's due dates are
/// borrowed. Valid for the populations the tests generate: 2018–2019 (US$55.92 a month), lapses recorded by the
/// sweep, no lapse annulled, no refunds.
/// </summary>
public sealed class Recomputation
{
    public sealed record MonthRow(string Month, int Enrolled, int Covered, int InArrears, int Contributing, int NewEnrolments,
        int Reenrolments, int Lapsed, int Returned, int DependantsCovered, decimal Contributions, decimal Surcharges, decimal Advances);

    public sealed record CohortRow(string Cohort, int Enrolled, int[] Covered);

    public List<MonthRow> Months { get; } = [];
    public int Contributors { get; private set; }
    public Dictionary<string, (int Members, int Covered)> Dependants { get; } = new() { ["Spouse"] = (0, 0), ["Child"] = (0, 0) };
    public Dictionary<string, (int Persons, decimal Owed)> Ageing { get; } = [];
    public List<CohortRow> Retention { get; } = [];
    public List<(int Year, decimal BaseContributions, int Insured)> ReserveYears { get; } = [];
    private readonly Dictionary<string, Dictionary<string, (int Enrolled, int Contributors)>> _breakdowns = new()
    {
        ["sex"] = new() { ["F"] = (0, 0), ["M"] = (0, 0), ["unknown"] = (0, 0) }, ["age"] = [], ["country"] = [],
    };

    public IEnumerable<(string Key, int Enrolled, int Contributors)> Breakdown(string name) =>
        _breakdowns[name].Select(kv => (kv.Key, kv.Value.Enrolled, kv.Value.Contributors));

    private sealed class Episode
    {
        public required LocalDate EnrolledOn;
        public required YearMonth FirstPeriod;
        public bool Reenrolment;
        public LocalDate? EndedOn;
        public LapseReason? Reason;
        public Dictionary<YearMonth, LocalDate> PaidOn = [];
    }

    private sealed class Person
    {
        public string? Sex;
        public string Country = "";
        public LocalDate Birth;
        public List<Episode> Episodes = [];
        public List<(LocalDate PaidOn, decimal Base, decimal Surcharge, bool Advance)> Money = [];
        public List<LocalDate> Returns = [];
        public List<(Guid Id, Relationship Relationship, LocalDate Birth, LocalDate From, LocalDate? Until)> Members = [];
    }

    public static async Task<Recomputation> FromEventsAsync(IDocumentStore store, LocalDate from, LocalDate to, LocalDate today)
    {
        await using var session = store.QuerySession();
        var events = (await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync())
            .Where(e => e.StreamKey is not ("policy-rates" or "partner-banks"));
        var people = new Dictionary<string, Person>();
        foreach (var e in events)
        {
            var p = people.TryGetValue(e.StreamKey!, out var known) ? known : people[e.StreamKey!] = new Person();
            switch (e.Data)
            {
                case Enrolled x:
                    p.Sex = x.Sex?.ToString() ?? p.Sex;
                    p.Country = x.CountryOfResidence;
                    p.Birth = x.BirthDate;
                    p.Episodes.Add(new Episode { EnrolledOn = x.EnrolledOn, FirstPeriod = x.FirstPeriod, Reenrolment = p.Episodes.Count > 0 });
                    p.Members = [.. p.Members.Select(m => m.Until is null ? m with { Until = x.EnrolledOn } : m),
                        .. x.Beneficiaries.Select(b => (b.Id, b.Relationship, b.BirthDate, x.EnrolledOn, (LocalDate?)null))];
                    break;
                case ContributionPaid x:
                    foreach (var q in x.Periods)
                    {
                        p.Episodes[(x.Episode ?? p.Episodes.Count) - 1].PaidOn[q.Period] = x.Source.PaidOn;
                        p.Money.Add((x.Source.PaidOn, q.Base, q.Surcharge, false));
                    }
                    break;
                case AdvancePaid x:
                    foreach (var q in x.Periods)
                    {
                        p.Episodes[(x.Episode ?? p.Episodes.Count) - 1].PaidOn[q.Period] = x.Source.PaidOn;
                        p.Money.Add((x.Source.PaidOn, q.Base, q.Surcharge, true));
                    }
                    break;
                case Lapsed x:
                    p.Episodes[^1].EndedOn = x.EffectiveOn;
                    p.Episodes[^1].Reason = x.Reason;
                    break;
                case Returned x:
                    p.Returns.Add(x.ReturnedOn);
                    break;
                case BeneficiaryAdded x:
                    p.Members.Add((x.Beneficiary.Id, x.Beneficiary.Relationship, x.Beneficiary.BirthDate, x.EffectiveOn, null));
                    break;
                case BeneficiaryRemoved x:
                    p.Members = [.. p.Members.Select(m => m.Id == x.BeneficiaryId && m.Until is null ? m with { Until = x.EffectiveOn } : m)];
                    break;
                case LapseAnnulled or RefundDue:
                    throw new InvalidOperationException($"The recomputation does not handle {e.Data.GetType().Name}.");
            }
        }

        var r = new Recomputation();
        var calendar = Regime.Default.Calendar;

        Episode? Open(Person p, LocalDate on) =>
            p.Episodes.LastOrDefault(x => x.EnrolledOn <= on) is { } x && !(x.EndedOn <= on) ? x : null;
        List<int> OverdueDays(Episode x, LocalDate on)
        {
            var days = new List<int>();
            for (var q = x.FirstPeriod; calendar.DueDate(q) < on; q = q.PlusMonths(1))
                if (!(x.PaidOn.TryGetValue(q, out var paid) && paid <= on))
                    days.Add(Period.Between(calendar.DueDate(q), on, PeriodUnits.Days).Days);
            return days;
        }
        bool Covered(Person p, LocalDate on) =>
            Open(p, on) is { } x && on >= x.FirstPeriod.OnDayOfMonth(1) && OverdueDays(x, on).Count == 0;
        int Age(LocalDate birth, LocalDate on) => Period.Between(birth, on, PeriodUnits.Years).Years;
        bool Qualifies((Guid, Relationship Relationship, LocalDate Birth, LocalDate, LocalDate?) m, LocalDate on) =>
            m.Relationship == Relationship.Spouse || (m.Birth <= on && Age(m.Birth, on) < 12);
        IEnumerable<(Guid Id, Relationship Relationship, LocalDate Birth, LocalDate From, LocalDate? Until)> MembersOn(Person p, LocalDate on) =>
            p.Members.Where(m => m.From <= on && !(m.Until <= on));

        for (var month = new YearMonth(from.Year, from.Month); month <= new YearMonth(to.Year, to.Month); month = month.PlusMonths(1))
        {
            var first = Max(month.OnDayOfMonth(1), from);
            var last = Min(month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month)), to);
            bool In(LocalDate d) => d >= first && d <= last;
            var people2 = people.Values;
            r.Months.Add(new MonthRow(
                Periods.Format(month),
                people2.Count(p => Open(p, last) is not null),
                people2.Count(p => Covered(p, last)),
                people2.Count(p => Open(p, last) is { } x && OverdueDays(x, last).Count > 0),
                people2.Count(p => p.Money.Any(m => In(m.PaidOn))),
                people2.Sum(p => p.Episodes.Count(x => In(x.EnrolledOn))),
                people2.Sum(p => p.Episodes.Count(x => x.Reenrolment && In(x.EnrolledOn))),
                people2.Sum(p => p.Episodes.Count(x => x.EndedOn is { } ended && In(ended))),
                people2.Sum(p => p.Returns.Count(In)),
                people2.Where(p => Covered(p, last)).Sum(p => MembersOn(p, last).Count(m => Qualifies(m, last))),
                people2.Sum(p => p.Money.Where(m => In(m.PaidOn) && !m.Advance).Sum(m => m.Base)),
                people2.Sum(p => p.Money.Where(m => In(m.PaidOn)).Sum(m => m.Surcharge)),
                people2.Sum(p => p.Money.Where(m => In(m.PaidOn) && m.Advance).Sum(m => m.Base))));
        }

        foreach (var p in people.Values)
        {
            var enrolled = Open(p, to) is not null;
            var contributed = p.Money.Any(m => m.PaidOn >= from && m.PaidOn <= to);
            if (contributed) r.Contributors++;
            if (enrolled || contributed)
            {
                var age = Age(p.Birth, to);
                var band = age < 30 ? "18-29" : age < 40 ? "30-39" : age < 50 ? "40-49" : age < 60 ? "50-59" : "60+";
                foreach (var (name, key) in new[] { ("sex", p.Sex ?? "unknown"), ("age", band), ("country", p.Country) })
                {
                    var (e, c) = r._breakdowns[name].GetValueOrDefault(key);
                    r._breakdowns[name][key] = (e + (enrolled ? 1 : 0), c + (contributed ? 1 : 0));
                }
            }
            if (enrolled)
                foreach (var m in MembersOn(p, to))
                {
                    var (n, covered) = r.Dependants[m.Relationship.ToString()];
                    r.Dependants[m.Relationship.ToString()] = (n + 1, covered + (Covered(p, to) && Qualifies(m, to) ? 1 : 0));
                }
            if (Open(p, to) is { } open && OverdueDays(open, to) is { Count: > 0 } late)
            {
                var oldest = late.Max();
                var band = oldest <= 15 ? "1-15" : oldest <= 30 ? "16-30" : oldest <= 60 ? "31-60" : oldest <= 90 ? "61-90" : "91+";
                var owed = late.Sum(d => Contribution + Math.Round(Contribution * (d <= 15 ? 0.05m : 0.10m), 2, MidpointRounding.AwayFromZero));
                var (persons, total) = r.Ageing.GetValueOrDefault(band);
                r.Ageing[band] = (persons + 1, total + owed);
            }
            var lapsed = p.Episodes.Count(x => x.Reason == LapseReason.NonPayment && x.EndedOn >= from && x.EndedOn <= to);
            if (lapsed > 0)
                r.Ageing["lapsed"] = (r.Ageing.GetValueOrDefault("lapsed").Persons + lapsed, 0m);
        }

        foreach (var cohort in people.Values.SelectMany(p => p.Episodes.Where(x => x.EnrolledOn >= from && x.EnrolledOn <= to)
                     .Select(x => (Person: p, Month: new YearMonth(x.EnrolledOn.Year, x.EnrolledOn.Month))))
                     .GroupBy(c => c.Month).OrderBy(g => g.Key))
        {
            var covered = new[] { 3, 6, 12, 24 }.Select(k =>
            {
                var m = cohort.Key.PlusMonths(k);
                var on = m.OnDayOfMonth(m.Calendar.GetDaysInMonth(m.Year, m.Month));
                return on > today ? throw new InvalidOperationException("horizon after today") : cohort.Count(c => Covered(c.Person, on));
            }).ToArray();
            r.Retention.Add(new CohortRow(Periods.Format(cohort.Key), cohort.Count(), covered));
        }

        foreach (var year in people.Values.SelectMany(p => p.Money.Select(m => (p, m))).GroupBy(x => x.m.PaidOn.Year).OrderBy(g => g.Key))
            if (year.Key >= from.Year && year.Key <= to.Year)
                r.ReserveYears.Add((year.Key, year.Sum(x => x.m.Base), year.Select(x => x.p).Distinct().Count()));
        return r;
    }

    private const decimal Contribution = 55.92m;
    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;
    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;
}
