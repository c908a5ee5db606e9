using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts.Withdrawing;

public static class WithdrawEndpoint
{
    [WolverinePost("/api/insured/{affiliationNumber}/withdraw", OperationId = "withdraw")]
    [Tags(ApiAreas.Accounts)]
    [EndpointSummary("Voluntary withdrawal")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(WithdrawRequest), "application/json")]
    [ProducesResponseType<AccountSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(422)]
    public static async Task<IResult> Post(
        string affiliationNumber,
        HttpContext context,
        IMessageBus bus,
        Regime regime,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<WithdrawRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var effectiveOn = wire.Date("effectiveOn", request!.EffectiveOn);
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        var change = await bus.InvokeAsync<AccountChange>(
            new Withdraw(affiliationNumber, effectiveOn),
            Recording.Of(context),
            ct
        );
        return change.Answer(account => Results.Ok(AccountSummary.Of(account, change.Today, regime)));
    }
}
