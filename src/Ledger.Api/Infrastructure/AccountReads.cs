using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Auditing;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The read side of "on business date D, as known at instant T": parses <c>on</c> (default today in
/// El Salvador) and <c>asOf</c> (default now), and loads the account as the ledger knew it then.
/// </summary>
public static class AccountReads
{
    public static async Task<(Account? Account, LocalDate On, IResult? Problem)> OnDateAsKnownAsync(
        IQuerySession session, string affiliationNumber, string? on, string? asOf, IClock clock, CancellationToken ct)
    {
        if (!Wire.TryDateOrToday(on, clock, out var date)) return (null, default, Problems.BadDate("on", on));
        if (!Wire.TryInstantOrNow(asOf, out var known)) return (null, default, Problems.BadInstant("asOf", asOf));
        var account = await HistoryEndpoints.AsKnownAsync(session, affiliationNumber, known, null, ct);
        return account is null ? (null, date, Problems.UnknownAccount(affiliationNumber)) : (account, date, null);
    }
}
