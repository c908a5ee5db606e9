using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Rights;

/// <summary>
/// Did anyone's standing change? Pure comparisons of the standing that answers <c>GET /api/rights</c>
/// (<see cref="Standing.On"/>, <see cref="BeneficiaryRules.Qualifies"/>): before and after events on one day, or the
/// same account on two consecutive days (the passage of time, no event).
/// </summary>
public static class RightsChanges
{
    /// <summary>
    /// What events changed: the account before them (null before its enrolment) and after them, compared on
    /// <paramref name="on"/> (today in El Salvador, when they are recorded). The ids are those of the version the
    /// events took the stream to, so a command decided again after a lost race gives the ids of its new version.
    /// </summary>
    public static IReadOnlyList<RightsChange> Between(
        Account? before,
        Account after,
        LocalDate on,
        Regime regime,
        string cause
    )
    {
        var was = StandingsOn(before, on, regime);
        var now = StandingsOn(after, on, regime);
        return Compare(after, was, now, on, $"v{after.Version}", _ => cause);
    }

    /// <summary>
    /// What the passage of time changed on <paramref name="day"/>: the standings of the day before and of the day,
    /// with the account as recorded now. A due date passed unpaid, a lapse, the end of a return window, a child's
    /// twelfth birthday, the first day of coverage. The ids depend on the day only: the same day swept twice gives
    /// the same ids.
    /// </summary>
    public static IReadOnlyList<RightsChange> OnDay(Account account, LocalDate day, Regime regime)
    {
        var yesterday = day.PlusDays(-1);
        var was = StandingsOn(account, yesterday, regime);
        var now = StandingsOn(account, day, regime);
        var insuredCause = CauseOfDay(was[Insured], now[Insured], Standing.On(account, day, regime));
        return Compare(
            account,
            was,
            now,
            day,
            $"d{Dates.Format(day)}",
            key =>
                key == Insured || was[Insured] != now[Insured]
                    ? insuredCause
                    : BeneficiaryCauseOfDay(account, key, yesterday, day, regime)
        );
    }

    private static readonly Guid Insured = Guid.Empty;

    private static IReadOnlyList<RightsChange> Compare(
        Account account,
        IReadOnlyDictionary<Guid, RightsStatus> was,
        IReadOnlyDictionary<Guid, RightsStatus> now,
        LocalDate on,
        string discriminator,
        Func<Guid, string> causeOf
    )
    {
        var changes = new List<RightsChange>();
        // The insured first, then beneficiaries in the order they joined.
        foreach (var key in now.Keys.Union(was.Keys))
        {
            var from = was.GetValueOrDefault(key, RightsStatus.NotCovered);
            var to = now.GetValueOrDefault(key, RightsStatus.NotCovered);
            if (from == to)
                continue;
            Guid? beneficiary = key == Insured ? null : key;
            changes.Add(
                new RightsChange(
                    IdOf(account.Id, beneficiary, from, to, discriminator),
                    account.Id,
                    beneficiary,
                    beneficiary is { } b
                        ? account.Beneficiaries.Last(e => e.Beneficiary.Id == b).Beneficiary.FullName
                        : null,
                    from,
                    to,
                    on,
                    causeOf(key)
                )
            );
        }
        return changes;
    }

    /// <summary>The insured's status (key <see cref="Guid.Empty"/>) and each beneficiary's who is or was in the
    /// group.</summary>
    private static Dictionary<Guid, RightsStatus> StandingsOn(Account? account, LocalDate date, Regime regime)
    {
        var standings = new Dictionary<Guid, RightsStatus>();
        if (account is null)
        {
            standings[Insured] = RightsStatus.NotCovered;
            return standings;
        }
        var standing = Standing.On(account, date, regime);
        standings[Insured] = standing.Status;
        foreach (var entry in account.Beneficiaries)
        {
            var beneficiary = entry.Beneficiary;
            var covered =
                entry.IsMemberOn(date)
                && standing.Status != RightsStatus.NotCovered
                && BeneficiaryRules.Qualifies(beneficiary, date, regime.Rules);
            // A person removed and added again keeps one key: covered if any of their entries covers them.
            if (!standings.TryGetValue(beneficiary.Id, out var known) || known == RightsStatus.NotCovered)
                standings[beneficiary.Id] = covered ? standing.Status : RightsStatus.NotCovered;
        }
        return standings;
    }

    private static string CauseOfDay(RightsStatus from, RightsStatus to, Standing today) =>
        to switch
        {
            RightsStatus.Arrears => RightsChangeCause.DueDatePassed,
            RightsStatus.Lapsed when today.End?.Reason == LapseReason.ReturnWindowExpired =>
                RightsChangeCause.ReturnWindowEnded,
            RightsStatus.Lapsed => RightsChangeCause.Lapse,
            _ => RightsChangeCause.CoverageBegan,
        };

    private static string BeneficiaryCauseOfDay(
        Account account,
        Guid id,
        LocalDate yesterday,
        LocalDate day,
        Regime regime
    )
    {
        var entries = account.Beneficiaries.Where(e => e.Beneficiary.Id == id).ToList();
        var memberYesterday = entries.Any(e => e.IsMemberOn(yesterday));
        var memberToday = entries.Any(e => e.IsMemberOn(day));
        if (memberYesterday && !memberToday)
            return RightsChangeCause.MembershipEnded;
        if (!memberYesterday && memberToday)
            return RightsChangeCause.MembershipBegan;
        var beneficiary = entries[^1].Beneficiary;
        return
            BeneficiaryRules.Qualifies(beneficiary, yesterday, regime.Rules)
            && !BeneficiaryRules.Qualifies(beneficiary, day, regime.Rules)
            ? RightsChangeCause.ChildAgeLimit
            : RightsChangeCause.CoverageBegan;
    }

    /// <summary>A name-based id (the first 16 bytes of a SHA-256, RFC 9562 version 8) of what the change is.</summary>
    private static Guid IdOf(
        string account,
        Guid? beneficiary,
        RightsStatus from,
        RightsStatus to,
        string discriminator
    )
    {
        var text = $"salex-rights-change/1|{account}|{beneficiary}|{from}|{to}|{discriminator}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
