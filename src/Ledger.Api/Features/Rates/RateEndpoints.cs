using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Rates;

public sealed record RateRowView(string FirstPeriod, decimal MinimumWage, decimal MonthlyContribution);

public sealed record RateScheduleView(long Version, IReadOnlyList<RateRowView> Rows);

public sealed record AddRateRequest(string? FirstPeriod, decimal? MinimumWage);

public static class RateEndpoints
{
    [WolverineGet("/api/rates")]
    [Authorize(Roles = Roles.ReadRights)]
    [ProducesResponseType<RateScheduleView>(200)]
    public static RateScheduleView Get(RateScheduleCache cache) => View(cache.Regime, cache.Version);

    /// <summary>Adds a row to the schedule (an event on the policy stream); it may not be back-dated to a period with payments.</summary>
    [WolverinePost("/api/rates")]
    [Authorize(Roles = Roles.ManageRates)]
    [Consumes(typeof(AddRateRequest), "application/json")]
    [ProducesResponseType<RateScheduleView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(HttpContext context, IDocumentStore store, RateScheduleCache cache, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<AddRateRequest>(context.Request, ct);
        if (problem is not null) return problem;
        var wire = new Wire();
        var firstPeriod = wire.Period("firstPeriod", request!.FirstPeriod);
        if (firstPeriod is null && wire.Refusals.Count == 0) wire.Refusals.Add(Refusal.Invalid("firstPeriod", "The first period is required (yyyy-MM)."));
        wire.Amount("minimumWage", request.MinimumWage, "The minimum wage is required.");
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);
        var row = new RateAdded(firstPeriod!.Value, request.MinimumWage!.Value);

        // Decide on the stream itself (not the cache) and append at the version decided on.
        await cache.EnsureSeededAsync(store, ct);
        var current = await cache.ReloadAsync(store, ct);
        await using var session = store.OpenSession(context);
        var refusals = RatePolicy.Check(row, current.Rates, await LastPaidPeriodAsync(session, ct));
        if (refusals.Count > 0) return Problems.From(refusals);

        session.Events.Append(RateScheduleCache.StreamId, cache.Version + 1, row);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (AccountCommands.IsConcurrency(e))
        {
            return Problems.Conflict("firstPeriod", "Another row was added at the same time; read the schedule and retry.");
        }
        var after = await cache.ReloadAsync(store, ct);
        return Results.Created("/api/rates", View(after, cache.Version));
    }

    /// <summary>The latest period any account has paid, from the account documents (one query).</summary>
    private static async Task<YearMonth?> LastPaidPeriodAsync(IQuerySession session, CancellationToken ct)
    {
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"select coalesce(max(p->>'period'), '') from {LedgerStore.Schema}.mt_doc_account, jsonb_array_elements(data->'paid') p", ct);
        return Periods.TryParse(rows[0], out var period) ? period : null;
    }

    private static RateScheduleView View(Regime regime, long version) => new(version,
        regime.Rates.Rows.Select(r => new RateRowView(Periods.Format(r.FirstPeriod), r.MinimumWage, r.MonthlyContribution)).ToList());
}
