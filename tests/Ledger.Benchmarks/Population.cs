using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Ledger.Enrolment;
using Salex.Ledger.Lifecycle;

namespace Salex.Ledger.Benchmarks;

/// <summary>How an insured person pays; the mix is <see cref="Population.Mix"/>.</summary>
public enum Behaviour { OnTime, LateWithin15Days, LateBeyond15Days, InAdvance, Lapses, Returns }

/// <summary>An event as it would have been recorded: when, by whom, through which channel.</summary>
public sealed record RecordedEvent(object Data, Instant RecordedAt, string RecordedBy);

/// <summary>One insured person: the stream's events in order, and the account they fold to.</summary>
public sealed record Person(int Index, string AffiliationNumber, Behaviour Behaviour, IReadOnlyList<RecordedEvent> Events, Account Account);

/// <summary>
/// A synthetic population with realistic histories, the same for a given seed and size. Every event is
/// decided by the domain's own functions (enrolment, payment allocation, return, lapse sweep), so the
/// streams are ones the ledger could have recorded: most people pay on time, some late within 15 days,
/// some later, some months in advance, some stop paying and lapse (and some of those enrol again),
/// some return to El Salvador and their coverage ends with the return window.
/// </summary>
public static class Population
{
    /// <summary>"Today" for the histories. Fixed, so the same seed gives the same population on any day.</summary>
    public static readonly LocalDate Today = new(2026, 11, 20);

    public static readonly (Behaviour Behaviour, double Share)[] Mix =
    [
        (Behaviour.OnTime, 0.60), (Behaviour.LateWithin15Days, 0.14), (Behaviour.LateBeyond15Days, 0.08),
        (Behaviour.InAdvance, 0.08), (Behaviour.Lapses, 0.06), (Behaviour.Returns, 0.04),
    ];

    private static readonly string[] Banks = ["AGRICOLA", "CUSCATLAN", "DAVIVIENDA", "PROMERICA", "HIPOTECARIO"];
    private static readonly string[] Countries = ["US", "US", "US", "US", "US", "US", "US", "CA", "ES", "IT", "MX", "AU"];
    private static readonly string[] GivenNames = ["José", "María", "Ana", "Carlos", "Luis", "Rosa", "Juan", "Carmen", "Jorge", "Marta", "Óscar", "Sofía"];
    private static readonly string[] Surnames = ["López", "Hernández", "Martínez", "García", "Rodríguez", "Pérez", "Ramírez", "Flores", "Cruz", "Rivera", "Mejía", "Alvarado"];

    public static string AffiliationNumberOf(int index) => AffiliationNumber.FromSequence(Projections.LedgerStore.FirstAffiliationSequence + index);

    public static IReadOnlyList<Person> Generate(int size, int seed, Regime regime)
    {
        var people = new Person[size];
        Parallel.For(0, size, i => people[i] = Person(i, new Random(unchecked(seed * 1_000_003 + i)), regime));
        return people;
    }

    private static Person Person(int index, Random rng, Regime regime)
    {
        var chosen = Pick(rng);
        var behaviour = chosen;
        var number = AffiliationNumberOf(index);
        var events = new List<RecordedEvent>();
        var calendar = regime.Calendar;

        // Tenure: the programme grows, so most people enrolled in the last two years; none before the first rate.
        var maxTenure = regime.Rates.FirstPeriod.MonthsUntil(Periods.PeriodOf(Today)) - 1;
        var tenure = Math.Min(maxTenure, 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 20));
        var enrolMonth = Periods.PeriodOf(Today).PlusMonths(-tenure);
        var enrolledOn = new LocalDate(enrolMonth.Year, enrolMonth.Month, rng.Next(1, 29));
        var enrol = EnrolCommand(index, enrolledOn, rng);
        var refusals = Enrolment.Enrolment.Check(enrol, null, enrolledOn, regime);
        if (refusals.Count > 0) throw new InvalidOperationException($"Generated enrolment refused: {refusals[0].Reason}");
        var account = Record(null, Enrolment.Enrolment.Decide(enrol, null, number, regime), At(enrolledOn, rng), "enrolment-office", events)!;

        // When a lapser stops paying, and when a returner comes back.
        var stopAfter = enrolMonth.PlusMonths(rng.Next(2, Math.Max(3, tenure)));
        var returnOn = enrolledOn.PlusDays(rng.Next(60, Math.Max(61, tenure * 30)));
        var returned = false;

        for (var payments = 0; payments < 200; payments++)
        {
            var next = account.NextUnpaidPeriod;
            var due = calendar.DueDate(next);

            if (behaviour == Behaviour.Returns && !returned && returnOn <= Today && returnOn <= due)
            {
                var (refused, returnEvents) = EpisodeChanges.Return(account, returnOn, returnOn, regime);
                if (refused.Count == 0) account = Record(account, returnEvents, At(returnOn, rng), "enrolment-office", events)!;
                returned = true;
            }

            if (behaviour == Behaviour.Lapses && next > stopAfter)
            {
                // The sweep records the lapse the day after the third unpaid due date.
                var lapseOn = calendar.DueDate(next.PlusMonths(regime.Rules.LapseAfterUnpaidPeriods - 1)).PlusDays(1);
                if (lapseOn > Today || EpisodeChanges.Sweep(account, lapseOn, regime) is not { } lapsed) break;
                account = Record(account, [lapsed], At(lapseOn.PlusDays(1), rng), "lapse-sweep", events)!;
                // Four in ten come back and enrol again, months later; the new episode pays on time.
                var again = lapseOn.PlusDays(rng.Next(30, 420));
                if (rng.NextDouble() >= 0.4 || again > Today) break;
                var reEnrol = enrol with { EnrolledOn = again, FirstPeriod = null, Beneficiaries = [] };
                if (Enrolment.Enrolment.Check(reEnrol, account, again, regime).Count > 0) break;
                account = Record(account, Enrolment.Enrolment.Decide(reEnrol, account, number, regime), At(again, rng), "enrolment-office", events)!;
                behaviour = Behaviour.OnTime;
                continue;
            }

            var (paidOn, periods) = behaviour switch
            {
                Behaviour.LateWithin15Days when rng.NextDouble() < 0.4 => (due.PlusDays(rng.Next(1, 16)), 0),
                Behaviour.LateBeyond15Days when rng.NextDouble() < 0.5 => (due.PlusDays(rng.Next(16, 50)), 0),
                Behaviour.InAdvance => (due.PlusDays(-rng.Next(0, 11)), rng.Next(3, 13)),
                _ => (due.PlusDays(-rng.Next(0, 13)), 1),
            };
            if (paidOn < account.CurrentEpisode.EnrolledOn) paidOn = account.CurrentEpisode.EnrolledOn;
            if (paidOn > Today) break;
            // A late payment pays every period overdue on its date, oldest first.
            if (periods == 0)
            {
                periods = 1;
                while (calendar.DueDate(next.PlusMonths(periods)) < paidOn) periods++;
            }
            var amount = 0m;
            for (var k = 0; k < periods; k++) amount += PaymentAllocator.PeriodPaidOn(next.PlusMonths(k), paidOn, regime.Rates, calendar).Total;

            var bank = Banks[rng.Next(Banks.Length)];
            var command = new RecordPayment(paidOn, amount, bank, $"{index:D7}{payments:D3}", rng.NextDouble() < 0.7 ? Channel.Online : Channel.Branch);
            var (paymentRefusals, allocation) = Payments.Decide(account, command, paidOn, regime);
            if (paymentRefusals.Count > 0)
            {
                // Past the advance limit or a return window: pay one period instead, or stop.
                if (periods == 1) break;
                continue;
            }
            account = Record(account, allocation!.ToEvents(), At(paidOn, rng), rng.NextDouble() < 0.8 ? "bank-file" : "finance-desk", events)!;
        }

        // A return window that ended before today is swept like any lapse.
        if (behaviour == Behaviour.Returns && account.CurrentEpisode.CoveredUntil is { } until && until < Today
            && EpisodeChanges.Sweep(account, until.PlusDays(2), regime) is { } windowEnd)
            account = Record(account, [windowEnd], At(until.PlusDays(2), rng), "lapse-sweep", events)!;

        return new Person(index, number, chosen, events, account);
    }

    private static Account? Record(Account? account, IReadOnlyList<object> decided, Instant at, string by, List<RecordedEvent> events)
    {
        foreach (var e in decided)
        {
            events.Add(new RecordedEvent(e, at, by));
            account = account is null ? Account.Open((Enrolled)e) : account.After(e);
        }
        return account;
    }

    private static Enrol EnrolCommand(int index, LocalDate enrolledOn, Random rng)
    {
        var digits = (10_000_000 + index).ToString("D8");
        var dui = $"{digits}-{Dui.CheckDigit(digits)}";
        var age = rng.Next(20, 59);
        var birth = enrolledOn.PlusYears(-age).PlusDays(-rng.Next(0, 365));
        var surname = Surnames[rng.Next(Surnames.Length)];
        var beneficiaries = new List<Beneficiary>();
        if (rng.NextDouble() < 0.45)
            beneficiaries.Add(new Beneficiary(Guid(rng), $"{GivenNames[rng.Next(GivenNames.Length)]} {Surnames[rng.Next(Surnames.Length)]}",
                birth.PlusDays(rng.Next(-2000, 2000)), Relationship.Spouse));
        for (var c = rng.Next(0, 3); c > 0; c--)
            beneficiaries.Add(new Beneficiary(Guid(rng), $"{GivenNames[rng.Next(GivenNames.Length)]} {surname}",
                enrolledOn.PlusDays(-rng.Next(30, 11 * 365)), Relationship.Child));
        return new Enrol(dui, $"{GivenNames[rng.Next(GivenNames.Length)]} {surname} {Surnames[rng.Next(Surnames.Length)]}", birth,
            Countries[rng.Next(Countries.Length)], $"p{index}@example.com", enrolledOn, null,
            new EligibilityChecks(true, true, true), beneficiaries);
    }

    private static Behaviour Pick(Random rng)
    {
        var x = rng.NextDouble();
        foreach (var (behaviour, share) in Mix)
        {
            if (x < share) return behaviour;
            x -= share;
        }
        return Behaviour.OnTime;
    }

    private static Guid Guid(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Recorded during the business day in El Salvador.</summary>
    private static Instant At(LocalDate date, Random rng) =>
        date.At(new LocalTime(8, 0).PlusMinutes(rng.Next(0, 600))).InZoneLeniently(ElSalvador.TimeZone).ToInstant();
}
