using System.Text.Json.Serialization;
using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Accounts;

/// <summary>
/// An insured person's account, folded from their stream. Pure: no clock, no I/O. Marten keeps it
/// as an inline projection, so every question about rights on any date is one document read.
/// </summary>
public sealed record Account
{
    /// <summary>The affiliation number, which is also the stream key.</summary>
    public string Id { get; init; } = "";
    public long Version { get; init; }
    public string Dui { get; init; } = "";
    public string FullName { get; init; } = "";
    public LocalDate BirthDate { get; init; }
    public string CountryOfResidence { get; init; } = "";
    public string? Email { get; init; }

    /// <summary>As declared at the latest enrolment that declared it; null when never declared. Statistics
    /// only.</summary>
    public Sex? Sex { get; init; }
    public IReadOnlyList<Episode> Episodes { get; init; } = [];
    public IReadOnlyList<BeneficiaryEntry> Beneficiaries { get; init; } = [];
    public IReadOnlyList<PaidPeriod> Paid { get; init; } = [];

    /// <summary>Periods that were paid and became refunds due, kept so that answers about earlier dates still count
    /// them.</summary>
    public IReadOnlyList<PaidPeriod> Refunded { get; init; } = [];
    public IReadOnlyList<RefundDue> Refunds { get; init; } = [];
    public decimal Credit { get; init; }

    /// <summary>True until the current episode's end is recorded; a plain column for the lapse sweep to filter
    /// on.</summary>
    public bool EpisodeOpen { get; init; }

    // Derived members are not stored: the account document is read for every rights answer, so it stays lean.
    [JsonIgnore]
    public Episode CurrentEpisode => Episodes[^1];

    [JsonIgnore]
    public decimal RefundsTotal => Refunds.Sum(r => r.Amount);

    /// <summary>The last period paid in the current episode; payments have no gaps, so all before it are
    /// paid.</summary>
    [JsonIgnore]
    public YearMonth? PaidThrough => PaidThroughIn(CurrentEpisode);

    /// <summary>The oldest period of the current episode still unpaid: the next payment starts there.</summary>
    [JsonIgnore]
    public YearMonth NextUnpaidPeriod => NextUnpaidPeriodIn(CurrentEpisode);

    /// <summary>The last period paid in an episode (as it stands now).</summary>
    public YearMonth? PaidThroughIn(Episode episode)
    {
        YearMonth? last = null;
        foreach (var p in Paid)
            if (p.Episode == episode.Number && (last is null || p.Period > last))
                last = p.Period;
        return last;
    }

    /// <summary>The oldest period of an episode still unpaid: money for that episode starts there.</summary>
    public YearMonth NextUnpaidPeriodIn(Episode episode) => PaidThroughIn(episode)?.Next() ?? episode.FirstPeriod;

    /// <summary>The episode in force on a date by its enrolment: the latest enrolled by then (it may have ended since);
    /// null before the first enrolment.</summary>
    public Episode? EpisodeOn(LocalDate date)
    {
        // A loop rather than LINQ: every rights answer asks it.
        for (var i = Episodes.Count - 1; i >= 0; i--)
            if (Episodes[i].EnrolledOn <= date)
                return Episodes[i];
        return null;
    }

    /// <summary>
    /// The last period an episode can still be paid for as the ledger knows it now, or null when only the advance
    /// limit bounds it: <see cref="Episode.LastCoverablePeriod"/> (a return window, a withdrawal); and once a later
    /// episode has begun, never one of its periods, and nothing more for an episode that lapsed for non-payment
    /// (money that would have avoided that lapse can no longer reopen it: the re-enrolment was decided on it).
    /// </summary>
    public YearMonth? LastCoverablePeriod(Episode episode)
    {
        var bound = episode.LastCoverablePeriod;
        if (episode.Number >= Episodes.Count)
            return bound;
        YearMonth Min(YearMonth? a, YearMonth b) => a is { } x && x < b ? x : b;
        bound = Min(bound, Episodes[episode.Number].FirstPeriod.Previous());
        if (episode.EndReason == LapseReason.NonPayment)
            bound = Min(bound, PaidThroughIn(episode) ?? episode.FirstPeriod.Previous());
        return bound;
    }

    public IEnumerable<PaidPeriod> PaidIn(Episode episode) => Paid.Where(p => p.Episode == episode.Number);

    /// <summary>The periods of an episode paid as things stood on a date: paid by then, and not refunded by
    /// then.</summary>
    public IEnumerable<PaidPeriod> PaidIn(Episode episode, LocalDate on) =>
        Paid.Concat(Refunded).Where(p => p.Episode == episode.Number && p.IsPaidOn(on));

    public static Account Open(Enrolled e) =>
        new Account
        {
            Id = e.AffiliationNumber,
            Dui = e.Dui,
            BirthDate = e.BirthDate,
        }.After(e);

    public Account After(object @event) =>
        @event switch
        {
            Enrolled e => this with
            {
                FullName = e.FullName,
                CountryOfResidence = e.CountryOfResidence,
                Email = e.Email,
                Sex = e.Sex ?? Sex,
                Episodes = [.. Episodes, new Episode(Episodes.Count + 1, e.EnrolledOn, e.FirstPeriod)],
                // A new episode starts with the family group declared at its enrolment.
                Beneficiaries =
                [
                    .. Beneficiaries.Select(b => b.Until is null ? b with { Until = e.EnrolledOn } : b),
                    .. e.Beneficiaries.Select(b => new BeneficiaryEntry(b, e.EnrolledOn, null)),
                ],
                EpisodeOpen = true,
            },
            ContributionPaid e => WithPaid(e.Source, e.Periods, e.Episode),
            AdvancePaid e => WithPaid(e.Source, e.Periods, e.Episode),
            CreditRecorded e => this with { Credit = Credit + e.Amount },
            CreditApplied e => this with { Credit = Credit - e.Amount },
            Returned e => WithCurrentEpisode(ep =>
                ep with
                {
                    ReturnedOn = e.ReturnedOn,
                    CoveredUntil = e.CoveredUntil,
                }
            ),
            Lapsed e => WithCurrentEpisode(ep =>
                ep with
                {
                    EndedOn = e.EffectiveOn,
                    EndReason = e.Reason,
                    LastCoveredPeriod = e.LastCoveredPeriod,
                }
            ) with
            {
                EpisodeOpen = false,
            },
            LapseAnnulled => WithCurrentEpisode(ep =>
                ep with
                {
                    EndedOn = null,
                    EndReason = null,
                    LastCoveredPeriod = null,
                }
            ) with
            {
                EpisodeOpen = true,
            },
            RefundDue e => WithRefund(e),
            BeneficiaryAdded e => this with
            {
                Beneficiaries = [.. Beneficiaries, new BeneficiaryEntry(e.Beneficiary, e.EffectiveOn, null)],
            },
            BeneficiaryRemoved e => this with
            {
                Beneficiaries =
                [
                    .. Beneficiaries.Select(b =>
                        b.Beneficiary.Id == e.BeneficiaryId && b.Until is null ? b with { Until = e.EffectiveOn } : b
                    ),
                ],
            },
            _ => this,
        };

    /// <summary>Folds a whole stream; used by unit tests and by auditors' replays.</summary>
    public static Account? Replay(IEnumerable<object> events)
    {
        Account? account = null;
        foreach (var e in events)
            account = account is null ? (e is Enrolled enrolled ? Open(enrolled) : null) : account.After(e);
        return account;
    }

    /// <summary>The family group as it stands on a date.</summary>
    public IEnumerable<Beneficiary> BeneficiariesOn(LocalDate date) =>
        Beneficiaries.Where(b => b.IsMemberOn(date)).Select(b => b.Beneficiary);

    /// <summary>The family group today: everyone not removed.</summary>
    [JsonIgnore]
    public IEnumerable<Beneficiary> CurrentBeneficiaries =>
        Beneficiaries.Where(b => b.Until is null).Select(b => b.Beneficiary);

    private Account WithCurrentEpisode(Func<Episode, Episode> change) =>
        this with
        {
            Episodes = [.. Episodes.Take(Episodes.Count - 1), change(CurrentEpisode)],
        };

    private Account WithRefund(RefundDue e)
    {
        bool IsRefunded(PaidPeriod p) => p.Episode == CurrentEpisode.Number && e.Periods.Any(r => r.Period == p.Period);
        var on = e.EffectiveOn ?? e.RecordedOn;
        return this with
        {
            Refunds = [.. Refunds, e],
            Paid = [.. Paid.Where(p => !IsRefunded(p))],
            Refunded = [.. Refunded, .. Paid.Where(IsRefunded).Select(p => p with { RefundedOn = on })],
        };
    }

    private Account WithPaid(PaymentSource source, IReadOnlyList<PeriodPayment> periods, int? episode) =>
        this with
        {
            Paid =
            [
                .. Paid,
                .. periods.Select(p => new PaidPeriod(
                    episode ?? CurrentEpisode.Number,
                    p.Period,
                    source.PaidOn,
                    p.Base,
                    p.Surcharge,
                    source.BankCode,
                    source.Reference
                )),
            ],
        };
}
