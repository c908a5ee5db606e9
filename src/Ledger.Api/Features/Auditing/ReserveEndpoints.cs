using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Reserve;
using Salex.Projections.Reserve;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public static class ReserveEndpoints
{
    [WolverineGet("/api/reserve", OperationId = "getReserve")]
    [Tags(ApiAreas.Reserve)]
    [EndpointSummary("The emergency reserve, year by year")]
    [ProducesCsv]
    [Authorize(Roles = Roles.ReadReserve)]
    [ProducesResponseType<ReserveReport>(200)]
    public static async Task<IResult> All(HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        var years = await AccrueAsync(session, ct);
        if (Csv.Wants(request))
            return CsvOf("reserve.csv", years);
        return Results.Ok(new ReserveReport(years, years.Count == 0 ? 0m : years[^1].RunningTotal));
    }

    [WolverineGet("/api/reserve/{year}", OperationId = "getReserveYear")]
    [Tags(ApiAreas.Reserve)]
    [EndpointSummary("The emergency reserve of one year")]
    [ProducesCsv]
    [Authorize(Roles = Roles.ReadReserve)]
    [ProducesResponseType<ReserveYearAccrual>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> OneYear(
        [WireFormat(WireKind.Year)] string year,
        HttpRequest request,
        IQuerySession session,
        CancellationToken ct
    )
    {
        // Taken as text: a year that is not a number is problem details naming it, not the framework's bare 404.
        if (!Wire.TryDigits(year, out var number) || number is < Limits.FirstYear or > Limits.LastYear)
            return Problems.Invalid(
                "year",
                $"'{Wire.Shown(year)}' is not a year from {Limits.FirstYear} to {Limits.LastYear}."
            );
        return await OneYearAsync((int)number, request, session, ct);
    }

    private static async Task<IResult> OneYearAsync(
        int year,
        HttpRequest request,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var accrual = (await AccrueAsync(session, ct)).FirstOrDefault(y => y.Year == year);
        if (accrual is null)
            return Problems.NotFound("year", $"No contribution was received in {year}.");
        return Csv.Wants(request) ? CsvOf($"reserve-{year}.csv", [accrual]) : Results.Ok(accrual);
    }

    /// <summary>The report for spreadsheets (<c>Accept: text/csv</c>): one row per year.</summary>
    private static IResult CsvOf(string fileName, IEnumerable<ReserveYearAccrual> years) =>
        Csv.Result(
            fileName,
            [
                "year",
                "baseContributions",
                "insured",
                "fivePercent",
                "annualLimit",
                "totalLimit",
                "accrued",
                "annualLimitApplied",
                "totalLimitApplied",
                "runningTotal",
            ],
            years.Select(y =>
                new object?[]
                {
                    y.Year,
                    y.BaseContributions,
                    y.Insured,
                    y.FivePercent,
                    y.AnnualLimit,
                    y.TotalLimit,
                    y.Accrued,
                    y.AnnualLimitApplied,
                    y.TotalLimitApplied,
                    y.RunningTotal,
                }
            )
        );

    /// <summary>The running total needs every earlier year, so all years (a handful of rows) are read and accrued in
    /// order.</summary>
    private static async Task<IReadOnlyList<ReserveYearAccrual>> AccrueAsync(
        IQuerySession session,
        CancellationToken ct
    )
    {
        var years = await ReserveYearProjection.YearsAsync(session, ct);
        return EmergencyReserve.Accrue(years.Select(y => y.ToInput()));
    }
}
