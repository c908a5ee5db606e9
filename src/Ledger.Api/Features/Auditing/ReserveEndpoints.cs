using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Reserve;
using Salex.Projections.Reserve;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record ReserveReport(IReadOnlyList<ReserveYearAccrual> Years, decimal Total);

public static class ReserveEndpoints
{
    [WolverineGet("/api/reserve")]
    [Authorize(Roles = Roles.ReadReserve)]
    [ProducesResponseType<ReserveReport>(200)]
    public static async Task<IResult> All(IQuerySession session, CancellationToken ct)
    {
        var years = await AccrueAsync(session, ct);
        return Results.Ok(new ReserveReport(years, years.Count == 0 ? 0m : years[^1].RunningTotal));
    }

    [WolverineGet("/api/reserve/{year}")]
    [Authorize(Roles = Roles.ReadReserve)]
    [ProducesResponseType<ReserveYearAccrual>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> OneYear(int year, IQuerySession session, CancellationToken ct)
    {
        var accrual = (await AccrueAsync(session, ct)).FirstOrDefault(y => y.Year == year);
        return accrual is null ? Problems.NotFound("year", $"No contribution was received in {year}.") : Results.Ok(accrual);
    }

    /// <summary>The running total needs every earlier year, so all years (a handful of rows) are read and accrued in order.</summary>
    private static async Task<IReadOnlyList<ReserveYearAccrual>> AccrueAsync(IQuerySession session, CancellationToken ct)
    {
        var years = await session.Query<ReserveYear>().ToListAsync(ct);
        return EmergencyReserve.Accrue(years.Select(y => y.ToInput()));
    }
}
