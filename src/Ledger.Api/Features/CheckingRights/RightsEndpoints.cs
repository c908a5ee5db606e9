using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.AsKnownAt;
using Salex.Ledger.Api.Features.Rates;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Salex.Ledger.Enrolment;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.CheckingRights;

public static class RightsEndpoints
{
    [WolverineGet("/api/rights/{affiliationNumber}", OperationId = "getRights")]
    [Tags(ApiAreas.Rights)]
    [EndpointSummary(
        "Rights of an insured person and their beneficiaries on a date, optionally as known at an instant"
    )]
    [Authorize(Roles = Roles.ReadRights)]
    [ProducesResponseType<RightsAnswer>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Get(
        string affiliationNumber,
        string? on,
        string? asOf,
        StandbyReads reads,
        IClock clock,
        RateScheduleCache rates,
        CancellationToken ct
    )
    {
        // The hottest route: the reads' pool and the cached regime, both from singletons, so Wolverine builds no
        // document session, message context or service scope per request (docs/benchmarks.md, rights path); the live
        // account is one statement on that pool (StandbyReads.LiveAccountAsync), the query session serves "as known
        // at". Both are on the standby when ConnectionStrings:LedgerReads says so.
        await using var session = reads.Open();
        // "On business date D, as known at instant T": an auditor sees what a clinic was told that day.
        var (account, date, known, problem) = await AsKnown.OnDateAsync(
            session,
            affiliationNumber,
            on,
            asOf,
            clock,
            rates.Regime,
            ct,
            reads
        );
        return problem ?? Results.Ok(RightsAnswer.Of(account!, date, known));
    }

    /// <summary>The clinic knows the DUI of the insured; a child's rights are in the insured's answer.</summary>
    [WolverineGet("/api/rights", OperationId = "getRightsByDui")]
    [Tags(ApiAreas.Rights)]
    [EndpointSummary("Rights found by the insured's DUI")]
    [Authorize(Roles = Roles.ReadRights)]
    [ProducesResponseType<RightsAnswer>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> GetByDui(
        string? dui,
        string? on,
        StandbyReads reads,
        IClock clock,
        RateScheduleCache rates,
        CancellationToken ct
    )
    {
        if (Dui.Problem(dui) is { } problem)
            return Problems.Invalid("dui", problem);
        if (!Wire.TryDateOrToday(on, clock, out var date))
            return Problems.BadDate("on", on);
        var regime = rates.Regime;
        var account = await reads.LiveAccountByDuiAsync(dui!, ct);
        return account is null
            ? Problems.NotFound("dui", "No insured person has this DUI.")
            : Results.Ok(RightsAnswer.Of(account, date, regime));
    }

    /// <summary>Rights of up to 1,000 accounts on one date, read in one database round trip.</summary>
    [WolverinePost("/api/rights/query", OperationId = "queryRights")]
    [Tags(ApiAreas.Rights)]
    [EndpointSummary("Rights of up to 1,000 accounts on one date")]
    [Authorize(Roles = Roles.ReadRights)]
    [Consumes(typeof(RightsQuery), "application/json")]
    [ProducesResponseType<RightsQueryAnswer>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    public static async Task<IResult> Query(
        HttpContext context,
        StandbyReads reads,
        IClock clock,
        RateScheduleCache rates,
        CancellationToken ct
    )
    {
        var regime = rates.Regime;
        var (query, problem) = await JsonBody.ReadAsync<RightsQuery>(context.Request, ct);
        if (problem is not null)
            return problem;
        if (!Wire.TryDateOrToday(query!.On, clock, out var date))
            return Problems.BadDate("on", query.On);
        var given = query.AffiliationNumbers ?? [];
        if (given.Count > Limits.RightsQueryBatch)
            return Problems.Invalid(
                "affiliationNumbers",
                $"At most {Limits.RightsQueryBatch} affiliation numbers per query."
            );
        var wire = new Wire();
        var numbers = given
            .Select((n, i) => wire.Text($"affiliationNumbers[{i}]", n, Limits.QueryValue))
            .Where(n => n.Length > 0)
            .Distinct()
            .ToList();
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        if (numbers.Count == 0)
            return Problems.Invalid("affiliationNumbers", "At least one affiliation number is required.");

        var found = (await reads.LiveAccountsAsync(numbers, ct)).ToDictionary(a => a.Id);
        return Results.Ok(
            new RightsQueryAnswer(
                Dates.Format(date),
                numbers.Where(found.ContainsKey).Select(n => RightsAnswer.Of(found[n], date, regime)).ToList(),
                numbers.Where(n => !found.ContainsKey(n)).ToList()
            )
        );
    }
}
