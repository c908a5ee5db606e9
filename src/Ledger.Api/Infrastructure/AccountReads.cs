using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Auditing;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The read side of "on business date D, as known at instant T": parses <c>on</c> (default today in
/// El Salvador) and <c>asOf</c> (default now), and loads the account, and the rate schedule, as the
/// ledger knew them then.
/// </summary>
public static class AccountReads
{
    public static async Task<(Account? Account, LocalDate On, Regime Regime, IResult? Problem)> OnDateAsKnownAsync(
        IQuerySession session, string affiliationNumber, string? on, string? asOf, IClock clock, Regime regime, CancellationToken ct)
    {
        if (!Wire.TryDateOrToday(on, clock, out var date)) return (null, default, regime, Problems.BadDate("on", on));
        if (!Wire.TryInstantOrNow(asOf, out var known)) return (null, default, regime, Problems.BadInstant("asOf", asOf));
        var account = await HistoryEndpoints.AsKnownAsync(session, affiliationNumber, known, null, ct);
        if (account is null) return (null, date, regime, Problems.UnknownAccount(affiliationNumber));
        return (account, date, await Features.Rates.RatesAsKnown.AtAsync(session, regime, known, ct), null);
    }
}
