using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.AsKnownAt;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts;

public static class AccountEndpoints
{
    [WolverineGet("/api/insured/{affiliationNumber}", OperationId = "getAccount")]
    [Tags(ApiAreas.Accounts)]
    [EndpointSummary("Account summary")]
    [Authorize(Roles = Roles.ReadAccounts)]
    [ProducesResponseType<AccountSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Summary(
        string affiliationNumber,
        IQuerySession session,
        IClock clock,
        Regime regime,
        CancellationToken ct
    )
    {
        var account = await session.LoadAsync<Account>(affiliationNumber, ct);
        if (account is null)
            return Problems.UnknownAccount(affiliationNumber);

        return Results.Ok(AccountSummary.Of(account, ElSalvador.Today(clock), regime));
    }

    [WolverineGet("/api/insured/{affiliationNumber}/arrears", OperationId = "getArrears")]
    [Tags(ApiAreas.Accounts)]
    [EndpointSummary("Overdue periods on a date, with their surcharges")]
    [Authorize(Roles = Roles.ReadArrears)]
    [ProducesResponseType<ArrearsStatement>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Arrears(
        string affiliationNumber,
        string? on,
        string? asOf,
        IQuerySession session,
        IClock clock,
        Regime regime,
        CancellationToken ct
    )
    {
        var (account, date, known, problem) = await AsKnown.OnDateAsync(
            session,
            affiliationNumber,
            on,
            asOf,
            clock,
            regime,
            ct
        );
        if (problem is not null)
            return problem;

        return Results.Ok(ArrearsStatement.Of(account!, Standing.On(account!, date, known), date));
    }
}
