using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Rates;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Contributions;

namespace Salex.Ledger.Api.Features.AsKnownAt;

/// <summary>
/// The one read of "on business date D, as known at instant T": the account folded from the events recorded up to
/// T (or up to a stream version), and the rate schedule as recorded at T. Without T, the live account and the
/// current schedule. Rights, arrears and the auditors' state all read through here.
/// </summary>
public static class AsKnown
{
    /// <summary>Parses <c>on</c> (default today in El Salvador) and <c>asOf</c> (default now), then reads
    /// both. With <paramref name="reads"/>, the live account is read by its direct read
    /// (<see cref="StandbyReads.LiveAccountAsync"/>), the rights routes' hot path.</summary>
    public static async Task<(Account? Account, LocalDate On, Regime Regime, IResult? Problem)> OnDateAsync(
        IQuerySession session,
        string affiliationNumber,
        string? on,
        string? asOf,
        IClock clock,
        Regime regime,
        CancellationToken ct,
        StandbyReads? reads = null
    )
    {
        if (!Wire.TryDateOrToday(on, clock, out var date))
            return (null, default, regime, Problems.BadDate("on", on));
        if (!Wire.TryInstantOrNow(asOf, out var known))
            return (null, default, regime, Problems.BadInstant("asOf", asOf));
        var account =
            known is null && reads is not null
                ? await reads.LiveAccountAsync(affiliationNumber, ct)
                : await AccountAsync(session, affiliationNumber, known, null, ct);
        if (account is null)
            return (null, date, regime, Problems.UnknownAccount(affiliationNumber));
        return (account, date, await RegimeAsync(session, regime, known, ct), null);
    }

    /// <summary>The account folded from the events recorded up to an instant or a version; the live one otherwise.
    /// </summary>
    public static async Task<Account?> AccountAsync(
        IQuerySession session,
        string affiliationNumber,
        Instant? asOf,
        long? version,
        CancellationToken ct
    )
    {
        if (asOf is null && version is null)
            return await session.LoadAsync<Account>(affiliationNumber, ct);
        var events = await session.Events.FetchStreamAsync(
            affiliationNumber,
            version ?? 0,
            asOf?.ToDateTimeOffset(),
            token: ct
        );
        var account = Account.Replay(events.Select(e => e.Data));
        return account is null ? null : account with { Version = events[^1].Version };
    }

    /// <summary>The regime with the rate schedule as the ledger knew it at a past instant.</summary>
    public static async Task<Regime> RegimeAsync(
        IQuerySession session,
        Regime regime,
        Instant? asOf,
        CancellationToken ct
    )
    {
        if (asOf is null)
            return regime;
        var events = await session.Events.FetchStreamAsync(
            RateScheduleCache.StreamId,
            timestamp: asOf.Value.ToDateTimeOffset(),
            token: ct
        );
        return RatePolicy.Fold(events.Select(e => e.Data)).Schedule is { } rates
            ? regime with
            {
                Rates = rates,
            }
            : regime;
    }
}
