using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Rates;

public static class RateEndpoints
{
    [WolverineGet("/api/rates", OperationId = "getRates")]
    [Tags(ApiAreas.Rates)]
    [EndpointSummary("The rate schedule")]
    [Authorize(Roles = Roles.ReadRates)]
    [ProducesResponseType<RateScheduleView>(200)]
    public static RateScheduleView Get(RateScheduleCache cache) => View(cache.Regime, cache.Version);

    /// <summary>Adds a row to the schedule (an event on the policy stream); it may not be back-dated to a period with
    /// payments.</summary>
    [WolverinePost("/api/rates", OperationId = "addRate")]
    [Tags(ApiAreas.Rates)]
    [EndpointSummary("Add a row to the rate schedule")]
    [Authorize(Roles = Roles.ManageRates)]
    [Consumes(typeof(AddRateRequest), "application/json")]
    [ProducesResponseType<RateScheduleView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(
        HttpContext context,
        IDocumentStore store,
        RateScheduleCache cache,
        IClock clock,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<AddRateRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var firstPeriod = wire.Period("firstPeriod", request!.FirstPeriod);
        if (firstPeriod is null && wire.Refusals.Count == 0)
            wire.Refusals.Add(Refusal.Invalid("firstPeriod", "The first period is required (yyyy-MM)."));
        wire.Amount("minimumWage", request.MinimumWage, "The minimum wage is required.");
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        var row = new RateAdded(firstPeriod!.Value, request.MinimumWage!.Value);

        var thisMonth = Periods.PeriodOf(ElSalvador.Today(clock));
        return await AppendAsync(
            context,
            store,
            cache,
            (policy, _, regime) => (RatePolicy.Check(row, regime.Rates, thisMonth, regime.Rules), [row]),
            _ => Results.Created("/api/rates", View(cache.Regime, cache.Version)),
            ct,
            conflictField: "firstPeriod"
        );
    }

    /// <summary>Every proposed withdrawal or correction of a row, open ones first.</summary>
    [WolverineGet("/api/rates/proposals", OperationId = "listRateProposals")]
    [Tags(ApiAreas.Rates)]
    [EndpointSummary("Proposed withdrawals and corrections of rate rows")]
    [Authorize(Roles = Roles.ReadRates)]
    [ProducesResponseType<IReadOnlyList<RateProposalView>>(200)]
    public static async Task<IReadOnlyList<RateProposalView>> Proposals(
        IDocumentStore store,
        RateScheduleCache cache,
        CancellationToken ct
    ) =>
        [
            .. (await cache.ReloadPolicyAsync(store, ct))
                .Policy.Proposals.OrderBy(p => p.Status != ProposalStatus.Open)
                .Select(RateProposalView.Of),
        ];

    /// <summary>
    /// Proposes to withdraw or correct a row that no payment has used yet (maker); another person approves it
    /// (checker) before anything changes.
    /// </summary>
    [WolverinePost("/api/rates/proposals", OperationId = "proposeRateChange")]
    [Tags(ApiAreas.Rates)]
    [EndpointSummary("Propose withdrawing or correcting a rate row")]
    [Authorize(Roles = Roles.ManageRates)]
    [Consumes(typeof(ProposeRateChangeRequest), "application/json")]
    [ProducesResponseType<RateProposalView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Propose(
        HttpContext context,
        IDocumentStore store,
        RateScheduleCache cache,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<ProposeRateChangeRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var firstPeriod = wire.Period("firstPeriod", request!.FirstPeriod);
        if (firstPeriod is null && wire.Refusals.Count == 0)
            wire.Refusals.Add(Refusal.Invalid("firstPeriod", "The first period is required (yyyy-MM)."));
        // By name only: Enum.TryParse also reads "1" and "Withdraw, Correct" (as Correct).
        var kind = Enum.GetValues<RateChangeKind>()
            .FirstOrDefault(
                k => string.Equals(k.ToString(), request.Kind?.Trim(), StringComparison.OrdinalIgnoreCase),
                (RateChangeKind)(-1)
            );
        if (!Enum.IsDefined(kind))
            wire.Refusals.Add(Refusal.Invalid("kind", "The kind of change is 'Withdraw' or 'Correct'."));
        if (request.Reason is { } reason && Limits.TextProblem(reason, Limits.Reason) is { } bad)
            wire.Refusals.Add(Refusal.Invalid("reason", bad));
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        var proposal = new RateChangeProposed(
            Guid.NewGuid(),
            kind,
            firstPeriod!.Value,
            request.MinimumWage,
            Who(context),
            request.Reason?.Trim() ?? ""
        );
        return await AppendAsync(
            context,
            store,
            cache,
            (policy, paid, regime) => (RatePolicy.CheckProposal(proposal, policy, paid, regime.Rules), [proposal]),
            policy =>
                Results.Created(
                    $"/api/rates/proposals/{proposal.ProposalId}",
                    RateProposalView.Of(policy.Proposals.Single(p => p.Id == proposal.ProposalId))
                ),
            ct
        );
    }

    /// <summary>Approves a proposal (another person than its author): the row is withdrawn or corrected at
    /// once.</summary>
    [WolverinePost("/api/rates/proposals/{id}/approve", OperationId = "approveRateChange")]
    [Tags(ApiAreas.Rates)]
    [EndpointSummary("Approve another person's proposal")]
    [Authorize(Roles = Roles.ManageRates)]
    [ProducesResponseType<RateScheduleView>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Approve(
        [WireFormat(WireKind.Uuid)] string id,
        HttpContext context,
        IDocumentStore store,
        RateScheduleCache cache,
        CancellationToken ct
    )
    {
        if (!Guid.TryParse(id, out var key))
            return UnknownProposal(id);
        return await AppendAsync(
            context,
            store,
            cache,
            (policy, paid, _) => RatePolicy.Approve(key, Who(context), policy, paid),
            _ => Results.Ok(View(cache.Regime, cache.Version)),
            ct
        );
    }

    /// <summary>Turns a proposal down (its author may withdraw it the same way); nothing changes.</summary>
    [WolverinePost("/api/rates/proposals/{id}/reject", OperationId = "rejectRateChange")]
    [Tags(ApiAreas.Rates)]
    [EndpointSummary("Turn a proposal down")]
    [Authorize(Roles = Roles.ManageRates)]
    [Consumes(typeof(RejectRateChangeRequest), "application/json")]
    [ProducesResponseType<RateProposalView>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Reject(
        [WireFormat(WireKind.Uuid)] string id,
        HttpContext context,
        IDocumentStore store,
        RateScheduleCache cache,
        CancellationToken ct
    )
    {
        if (!Guid.TryParse(id, out var key))
            return UnknownProposal(id);
        var (request, problem) = await JsonBody.ReadAsync<RejectRateChangeRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        if (request!.Reason is { } reason && Limits.TextProblem(reason, Limits.Reason) is { } bad)
            return Problems.Invalid("reason", bad);
        return await AppendAsync(
            context,
            store,
            cache,
            (policy, _, _) => RatePolicy.Reject(key, Who(context), request.Reason, policy),
            policy => Results.Ok(RateProposalView.Of(policy.Proposals.Single(p => p.Id == key))),
            ct
        );
    }

    /// <summary>
    /// An id that is not a GUID names no proposal: 404 naming <c>id</c>, like a GUID no proposal has (the route
    /// takes the id as text, so that the answer is problem details rather than the framework's bare 404).
    /// </summary>
    private static IResult UnknownProposal(string id) =>
        Problems.NotFound("id", $"No proposal has the id '{Wire.Shown(id)}' (a proposal id is a GUID).");

    private static string Who(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    /// <summary>Decides on the policy stream itself (not the cache) and appends at the version decided on.</summary>
    private static async Task<IResult> AppendAsync(
        HttpContext context,
        IDocumentStore store,
        RateScheduleCache cache,
        Func<
            RatePolicyState,
            IReadOnlyCollection<PaidPrice>,
            Regime,
            (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events)
        > decide,
        Func<RatePolicyState, IResult> answer,
        CancellationToken ct,
        string conflictField = "id"
    )
    {
        // Decide on the stream itself (not the cache) and append at the version decided on (not cache.Version, which a
        // concurrent reload may have moved past what was checked here).
        await cache.EnsureSeededAsync(store, ct);
        var (regime, policy, version) = await cache.ReloadPolicyAsync(store, ct);
        await using var session = store.OpenSession(context);
        var (refusals, events) = decide(policy, await PaidPricesAsync(session, ct), regime);
        if (refusals.Count > 0)
            return Problems.From(refusals);
        session.Events.Append(RateScheduleCache.StreamId, version + events.Count, [.. events]);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            return Problems.Conflict(
                conflictField,
                "The rate schedule was changed at the same time; read it and retry."
            );
        }
        return answer((await cache.ReloadPolicyAsync(store, ct)).Policy);
    }

    /// <summary>Every (period, base) at which some account paid a period, refunded ones too, from the account
    /// documents (one query; a few hundred pairs at most: periods times the rates they were paid at).</summary>
    private static async Task<IReadOnlyCollection<PaidPrice>> PaidPricesAsync(
        IQuerySession session,
        CancellationToken ct
    ) =>
        await session.AdvancedSql.QueryAsync<PaidPrice>(
            "select distinct jsonb_build_object('period', p->'period', 'base', p->'base') "
                + $"from {LedgerStore.Schema}.mt_doc_account, "
                + "jsonb_array_elements(coalesce(data->'paid', '[]'::jsonb) || coalesce(data->'refunded', '[]'::jsonb)) p",
            ct
        );

    private static RateScheduleView View(Regime regime, long version) =>
        new(
            version,
            regime
                .Rates.Rows.Select(r => new RateRowView(
                    Periods.Format(r.FirstPeriod),
                    r.MinimumWage,
                    r.MonthlyContribution
                ))
                .ToList()
        );
}
