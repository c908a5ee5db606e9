using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Indicators;

/// <summary>
/// The programme's indicators over a period, from the accounts as folded from their streams (docs/indicators.md
/// gives every definition). Pure: the accounts, the dates, the regime and the targets in, the figures out. Every
/// stock is the account's <see cref="Standing"/> on a date, so a figure about a date depends only on what had
/// happened by then (money by the bank's date), like every other answer of the ledger.
/// </summary>
public static class ProgrammeTally
{
    /// <summary>The longest period one request may cover: 20 years of months.</summary>
    public const int MaxMonths = 240;

    /// <summary>The months of a period, each cut to it: the first starts on <paramref name="from"/>, the last ends
    /// on <paramref name="to"/>.</summary>
    public static IReadOnlyList<(YearMonth Month, LocalDate From, LocalDate To)> Windows(LocalDate from, LocalDate to)
    {
        var windows = new List<(YearMonth, LocalDate, LocalDate)>();
        for (var month = Periods.PeriodOf(from); month <= Periods.PeriodOf(to); month = month.Next())
        {
            var first = month.FirstDay() < from ? from : month.FirstDay();
            var last = month.LastDay() > to ? to : month.LastDay();
            windows.Add((month, first, last));
        }
        return windows;
    }

    /// <summary>Enrolled on a date: an episode had begun by then and had not ended (lapse, withdrawal, end of a
    /// return window), whether or not the sweep has recorded the end yet.</summary>
    public static bool IsEnrolledOn(Account account, LocalDate date, Regime regime)
    {
        var episode = account.Episodes.LastOrDefault(e => e.EnrolledOn <= date);
        return episode is not null && EpisodeEnd.On(account, episode, date, regime) is null;
    }

    /// <summary>In arrears on a date: enrolled, with at least one period overdue and unpaid by then.</summary>
    public static bool IsInArrears(Standing standing) =>
        standing.Status is RightsStatus.Arrears or RightsStatus.Active && standing.Overdue.Count > 0;

    /// <summary>Every period paid (including those that later became refunds due: the money was received), by the
    /// bank's date.</summary>
    public static IEnumerable<PaidPeriod> Received(Account account) => account.Paid.Concat(account.Refunded);

    /// <summary>A period paid for a month after the one in which it was paid is an advance (<see
    /// cref="AdvancePaid"/>).</summary>
    public static bool IsAdvance(PaidPeriod paid) => paid.Period > Periods.PeriodOf(paid.PaidOn);

    public static ProgrammeFigures Of(
        IEnumerable<Account> accounts,
        LocalDate from,
        LocalDate to,
        LocalDate today,
        Regime regime,
        IndicatorRules rules
    )
    {
        var windows = Windows(from, to);
        var months = windows.Select(_ => new MonthTally()).ToArray();
        var bySex = new Dictionary<string, (int Enrolled, int Contributors)>();
        var byAge = new Dictionary<string, (int Enrolled, int Contributors)>();
        var byCountry = new Dictionary<string, (int Enrolled, int Contributors)>();
        var dependants = new Dictionary<Relationship, (int Dependants, int Covered)>();
        var ageing = IndicatorBands.Ageing.ToDictionary(b => b, _ => (Persons: 0, Owed: 0m));
        var cohorts = new SortedDictionary<YearMonth, (int Enrolled, int?[] Covered)>();
        var contributors = 0;

        foreach (var account in accounts)
        {
            if (account.Episodes.Count == 0 || account.Episodes[0].EnrolledOn > to)
                continue;
            var received = Received(account).ToList();
            // Each episode's end as known on the period's last day, once: an end on or before a month's last day is
            // the same known then (a lapse for non-payment is the first one due; money after it does not undo it).
            var ends = account.Episodes.Select(e => EpisodeEnd.On(account, e, to, regime)).ToList();
            // An account whose every episode ended before the period and that paid nothing in it adds nothing.
            if (
                ends.All(e => e is not null && e.EffectiveOn < from)
                && !received.Any(p => p.PaidOn >= from && p.PaidOn <= to)
            )
                continue;
            var enrolledAtEnd = false;
            Standing? atEnd = null;
            for (var i = 0; i < windows.Count; i++)
            {
                var (_, first, last) = windows[i];
                if (last < account.Episodes[0].EnrolledOn)
                    continue;
                var m = months[i];
                var standing = Standing.On(account, last, regime);
                // Enrolled: the episode of that day has not ended. Before its first period the standing does not
                // look at its end, so it is asked (a cheap question then).
                var enrolled =
                    standing.Episode is { } current
                    && (
                        last < current.FirstPeriod.FirstDay()
                            ? EpisodeEnd.On(account, current, last, regime) is null
                            : standing.End is null
                    );
                if (enrolled)
                    m.Enrolled++;
                if (standing.HasRights)
                {
                    m.Covered++;
                    m.DependantsCovered += account
                        .BeneficiariesOn(last)
                        .Count(b => BeneficiaryRules.Qualifies(b, last, regime.Rules));
                }
                if (IsInArrears(standing))
                    m.InArrears++;
                for (var k = 0; k < account.Episodes.Count; k++)
                {
                    var episode = account.Episodes[k];
                    if (episode.EnrolledOn >= first && episode.EnrolledOn <= last)
                    {
                        m.NewEnrolments++;
                        if (episode.Number > 1)
                            m.Reenrolments++;
                    }
                    if (episode.ReturnedOn is { } returnedOn && returnedOn >= first && returnedOn <= last)
                        m.Returned++;
                    if (ends[k] is { } end && end.EffectiveOn >= first && end.EffectiveOn <= last)
                    {
                        m.Lapsed++;
                        if (end.Reason == LapseReason.NonPayment)
                            m.LapsedForNonPayment++;
                    }
                }
                var paidInMonth = false;
                foreach (var paid in received)
                {
                    if (paid.PaidOn < first || paid.PaidOn > last)
                        continue;
                    paidInMonth = true;
                    if (IsAdvance(paid))
                        m.Advances += paid.Base;
                    else
                        m.Contributions += paid.Base;
                    m.Surcharges += paid.Surcharge;
                }
                if (paidInMonth)
                    m.Contributing++;
                if (i == windows.Count - 1)
                    (enrolledAtEnd, atEnd) = (enrolled, standing);
            }

            var contributed = received.Any(p => p.PaidOn >= from && p.PaidOn <= to);
            if (contributed)
                contributors++;
            if (enrolledAtEnd || contributed)
            {
                var (e, c) = (enrolledAtEnd ? 1 : 0, contributed ? 1 : 0);
                Add(bySex, IndicatorBands.SexOf(account.Sex), e, c);
                Add(byAge, IndicatorBands.AgeBandOf(BeneficiaryRules.AgeOn(account.BirthDate, to)), e, c);
                Add(byCountry, account.CountryOfResidence, e, c);
            }
            if (enrolledAtEnd)
                foreach (var b in account.BeneficiariesOn(to))
                {
                    var (n, covered) = dependants.GetValueOrDefault(b.Relationship);
                    var hasRights = atEnd!.HasRights && BeneficiaryRules.Qualifies(b, to, regime.Rules);
                    dependants[b.Relationship] = (n + 1, covered + (hasRights ? 1 : 0));
                }
            if (atEnd is not null && IsInArrears(atEnd))
            {
                var band = IndicatorBands.AgeingBandOf(atEnd.Overdue.Max(p => p.DaysLate));
                var (persons, owed) = ageing[band];
                ageing[band] = (persons + 1, owed + atEnd.ArrearsTotal);
            }

            foreach (var episode in account.Episodes.Where(e => e.EnrolledOn >= from && e.EnrolledOn <= to))
            {
                var cohort = Periods.PeriodOf(episode.EnrolledOn);
                var (size, covered) = cohorts.GetValueOrDefault(
                    cohort,
                    (0, new int?[IndicatorBands.RetentionMonths.Count])
                );
                for (var k = 0; k < covered.Length; k++)
                {
                    var on = cohort.PlusMonths(IndicatorBands.RetentionMonths[k]).LastDay();
                    if (on > today)
                        continue;
                    covered[k] = (covered[k] ?? 0) + (Standing.On(account, on, regime).HasRights ? 1 : 0);
                }
                cohorts[cohort] = (size + 1, covered);
            }
        }

        var lapsedForNonPayment = months.Sum(m => m.LapsedForNonPayment);
        ageing[IndicatorBands.Lapsed] = (lapsedForNonPayment, 0m);

        var target = rules.MonthlyEnrolmentTarget;
        var monthFigures = windows
            .Select(
                (w, i) =>
                {
                    var m = months[i];
                    var personsCovered = m.Covered + m.DependantsCovered;
                    return new MonthFigures(
                        w.Month,
                        w.From,
                        w.To,
                        m.Enrolled,
                        m.Covered,
                        m.InArrears,
                        m.Contributing,
                        m.NewEnrolments,
                        m.Reenrolments,
                        target,
                        m.Lapsed,
                        m.Returned,
                        m.DependantsCovered,
                        personsCovered,
                        m.Contributions,
                        m.Surcharges,
                        m.Advances,
                        personsCovered * rules.MonthlyCostPerCoveredPerson
                    );
                }
            )
            .ToList();
        var closing = monthFigures[^1];
        var totals = new PeriodTotals(
            closing.Enrolled,
            closing.Covered,
            closing.InArrears,
            contributors,
            monthFigures.Sum(m => m.NewEnrolments),
            monthFigures.Sum(m => m.Reenrolments),
            target * monthFigures.Count,
            monthFigures.Sum(m => m.Lapsed),
            lapsedForNonPayment,
            monthFigures.Sum(m => m.Returned),
            dependants.Values.Sum(d => d.Dependants),
            closing.DependantsCovered,
            closing.PersonsCovered,
            monthFigures.Sum(m => m.Contributions),
            monthFigures.Sum(m => m.Surcharges),
            monthFigures.Sum(m => m.Advances),
            monthFigures.Sum(m => m.Cost),
            monthFigures.Sum(m => m.Balance)
        );

        return new ProgrammeFigures(
            from,
            to,
            rules,
            totals,
            monthFigures,
            Rows(bySex, ["F", "M", IndicatorBands.UnknownSex]),
            Rows(byAge, IndicatorBands.Ages),
            byCountry
                .OrderByDescending(c => c.Value.Enrolled + c.Value.Contributors)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new BreakdownRow(c.Key, c.Value.Enrolled, c.Value.Contributors))
                .ToList(),
            Enum.GetValues<Relationship>()
                .Select(r =>
                    dependants.GetValueOrDefault(r) is var d
                        ? new DependantsRow(r.ToString(), d.Dependants, d.Covered)
                        : null!
                )
                .ToList(),
            IndicatorBands.Ageing.Select(b => new AgeingRow(b, ageing[b].Persons, ageing[b].Owed)).ToList(),
            cohorts
                .Select(c => new CohortRetention(
                    c.Key,
                    c.Value.Enrolled,
                    IndicatorBands
                        .RetentionMonths.Select(
                            (months, k) =>
                                new RetentionPoint(
                                    months,
                                    c.Value.Covered[k],
                                    c.Value.Covered[k] is { } n ? Math.Round((decimal)n / c.Value.Enrolled, 4) : null
                                )
                        )
                        .ToList()
                ))
                .ToList()
        );
    }

    private static void Add(
        Dictionary<string, (int Enrolled, int Contributors)> rows,
        string key,
        int enrolled,
        int contributors
    )
    {
        var (e, c) = rows.GetValueOrDefault(key);
        rows[key] = (e + enrolled, c + contributors);
    }

    /// <summary>Every band in its order, zeros included, so that a table or a chart always has the same rows.</summary>
    private static List<BreakdownRow> Rows(
        Dictionary<string, (int Enrolled, int Contributors)> rows,
        IEnumerable<string> order
    ) =>
        order
            .Select(k => rows.GetValueOrDefault(k) is var r ? new BreakdownRow(k, r.Enrolled, r.Contributors) : null!)
            .ToList();

    /// <summary>A month's counters while the accounts are read.</summary>
    private sealed class MonthTally
    {
        public int Enrolled,
            Covered,
            InArrears,
            Contributing,
            NewEnrolments,
            Reenrolments;
        public int Lapsed,
            LapsedForNonPayment,
            Returned,
            DependantsCovered;
        public decimal Contributions,
            Surcharges,
            Advances;
    }
}
