using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Lapsing;

public static class LapseSweepEndpoint
{
    /// <summary>Runs the sweep now (admin), e.g. after restoring a backup; the daily schedule does the same.</summary>
    [WolverinePost("/api/admin/lapse-sweep", OperationId = "runLapseSweep")]
    [Tags(ApiAreas.Admin)]
    [EndpointSummary("Run the daily lapse sweep now")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<SweepReport>(200)]
    public static async Task<IResult> Post(IDocumentStore store, IClock clock, Regime regime, CancellationToken ct) =>
        Results.Ok(await LapseSweep.RunAsync(store, ElSalvador.Today(clock), regime, ct));
}
