using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.CheckingRights;

/// <summary>What a clinic needs to serve a person: no address, country or contact data.</summary>
public sealed record BeneficiaryRightsView(Guid Id, string Name, string Relationship, bool Covered);

public sealed record RightsAnswer(
    string AffiliationNumber, string On, string Status, bool Covered, bool RestrictedServicesCovered,
    string? CoveredThrough, IReadOnlyList<BeneficiaryRightsView> Beneficiaries);

public static class RightsEndpoints
{
    [WolverineGet("/api/rights/{affiliationNumber}")]
    [Authorize(Roles = Roles.ReadRights)]
    [ProducesResponseType<RightsAnswer>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Get(string affiliationNumber, string? on, IQuerySession session, IClock clock, Regime regime, CancellationToken ct)
    {
        if (!Wire.TryDateOrToday(on, clock, out var date)) return Problems.Invalid("on", $"'{on}' is not a date of the form yyyy-MM-dd.");
        var account = await session.LoadAsync<Account>(affiliationNumber, ct);
        if (account is null) return Problems.UnknownAccount(affiliationNumber);
        return Results.Ok(Answer(account, date, regime));
    }

    public static RightsAnswer Answer(Account account, LocalDate date, Regime regime)
    {
        var standing = Standing.On(account, date, regime.Rates, regime.Calendar, regime.Rules);
        var restricted = standing.HasRights && WaitingPeriod.RestrictedServicesCovered(account, date, regime);
        return new RightsAnswer(account.Id, Dates.Format(date), standing.Status.ToString(), standing.HasRights, restricted,
            standing.CoveredThrough is { } p ? Periods.Format(p) : null,
            account.Beneficiaries.Select(b => new BeneficiaryRightsView(b.Id, b.FullName, b.Relationship.ToString(),
                standing.HasRights && BeneficiaryRules.Qualifies(b, date, regime.Rules))).ToList());
    }
}
