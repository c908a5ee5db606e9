using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Accounts;

/// <summary>A coverage episode: from an enrolment to its end (lapse, return, withdrawal).</summary>
public sealed record Episode(int Number, LocalDate EnrolledOn, YearMonth FirstPeriod);

/// <summary>A period as paid, with the bank's date: rights on a past date only count money paid by then.</summary>
public sealed record PaidPeriod(int Episode, YearMonth Period, LocalDate PaidOn, decimal Base, decimal Surcharge, string BankCode, string Reference);

/// <summary>
/// An insured person's account, folded from their stream. Pure: no clock, no I/O. Marten keeps it
/// as an inline projection, so reading it is one document load.
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
    public IReadOnlyList<Episode> Episodes { get; init; } = [];
    public IReadOnlyList<Beneficiary> Beneficiaries { get; init; } = [];
    public IReadOnlyList<PaidPeriod> Paid { get; init; } = [];
    public decimal Credit { get; init; }

    public Episode CurrentEpisode => Episodes[^1];

    /// <summary>The last period paid in the current episode; payments have no gaps, so all before it are paid.</summary>
    public YearMonth? PaidThrough
    {
        get
        {
            var episode = CurrentEpisode.Number;
            for (var i = Paid.Count - 1; i >= 0; i--)
                if (Paid[i].Episode == episode) return Paid[i].Period;
            return null;
        }
    }

    /// <summary>The oldest period of the current episode still unpaid: the next payment starts there.</summary>
    public YearMonth NextUnpaidPeriod => PaidThrough?.Next() ?? CurrentEpisode.FirstPeriod;

    public static Account Open(Enrolled e) => new()
    {
        Id = e.AffiliationNumber,
        Dui = e.Dui,
        FullName = e.FullName,
        BirthDate = e.BirthDate,
        CountryOfResidence = e.CountryOfResidence,
        Email = e.Email,
        Episodes = [new Episode(1, e.EnrolledOn, e.FirstPeriod)],
        Beneficiaries = e.Beneficiaries,
    };

    public Account After(object @event) => @event switch
    {
        Enrolled e => this with
        {
            FullName = e.FullName,
            CountryOfResidence = e.CountryOfResidence,
            Email = e.Email,
            Episodes = [.. Episodes, new Episode(Episodes.Count + 1, e.EnrolledOn, e.FirstPeriod)],
            Beneficiaries = e.Beneficiaries,
        },
        ContributionPaid e => WithPaid(e.Source, e.Periods),
        AdvancePaid e => WithPaid(e.Source, e.Periods),
        CreditRecorded e => this with { Credit = Credit + e.Amount },
        CreditApplied e => this with { Credit = Credit - e.Amount },
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

    private Account WithPaid(PaymentSource source, IReadOnlyList<PeriodPayment> periods) => this with
    {
        Paid = [.. Paid, .. periods.Select(p =>
            new PaidPeriod(CurrentEpisode.Number, p.Period, source.PaidOn, p.Base, p.Surcharge, source.BankCode, source.Reference))],
    };
}
