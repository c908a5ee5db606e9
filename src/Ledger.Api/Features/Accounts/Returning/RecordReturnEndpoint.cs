using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts.Returning;

public static class RecordReturnEndpoint
{
    [WolverinePost("/api/insured/{affiliationNumber}/return", OperationId = "recordReturn")]
    [Tags(ApiAreas.Accounts)]
    [EndpointSummary("Record the return to El Salvador")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(ReturnRequest), "application/json")]
    [ProducesResponseType<AccountSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    [ProducesResponseType<HttpValidationProblemDetails>(422)]
    public static async Task<IResult> Post(
        string affiliationNumber,
        HttpContext context,
        IMessageBus bus,
        Regime regime,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<ReturnRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var returnedOn = wire.Date("returnedOn", request!.ReturnedOn);
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        var change = await bus.InvokeAsync<AccountChange>(
            new RecordReturn(affiliationNumber, returnedOn),
            Recording.Of(context),
            ct
        );
        return change.Answer(account => Results.Ok(AccountSummary.Of(account, change.Today, regime)));
    }
}
