using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Projections.RightsChanges;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.RightsChanges;

public static class RightsSweepEndpoint
{
    /// <summary>Runs the rights sweep now (admin); the daily schedule does the same at 00:05 El Salvador time.</summary>
    [WolverinePost("/api/admin/rights-sweep", OperationId = "runRightsSweep")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("Run the daily rights sweep now (the changes the passage of time made).")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<RightsSweepReport>(200)]
    public static async Task<IResult> Post(
        IDocumentStore store,
        IMessageBus bus,
        IClock clock,
        Regime regime,
        CancellationToken ct
    ) => Results.Ok(await RightsSweep.RunAsync(store, bus, clock, regime, ct));
}
