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
    public YearMonth? PaidThrough
    {
        get
        {
            var episode = CurrentEpisode.Number;
            YearMonth? last = null;
            foreach (var p in Paid)
                if (p.Episode == episode && (last is null || p.Period > last))
                    last = p.Period;
            return last;
        }
    }

    /// <summary>The oldest period of the current episode still unpaid: the next payment starts there.</summary>
    [JsonIgnore]
    public YearMonth NextUnpaidPeriod => PaidThrough?.Next() ?? CurrentEpisode.FirstPeriod;

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
            ContributionPaid e => WithPaid(e.Source, e.Periods),
            AdvancePaid e => WithPaid(e.Source, e.Periods),
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

    private Account WithPaid(PaymentSource source, IReadOnlyList<PeriodPayment> periods) =>
        this with
        {
            Paid =
            [
                .. Paid,
                .. periods.Select(p => new PaidPeriod(
                    CurrentEpisode.Number,
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
