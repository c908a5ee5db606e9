using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public static class RemoveBeneficiaryEndpoint
{
    [WolverineDelete(
        "/api/insured/{affiliationNumber}/beneficiaries/{beneficiaryId}",
        OperationId = "removeBeneficiary"
    )]
    [Tags(ApiAreas.Accounts)]
    [EndpointSummary("Remove a beneficiary")]
    [Authorize(Roles = Roles.Enrol)]
    [ProducesResponseType(204)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Delete(
        string affiliationNumber,
        string beneficiaryId,
        string? effectiveOn,
        HttpContext context,
        IMessageBus bus,
        CancellationToken ct
    )
    {
        if (!Guid.TryParse(beneficiaryId, out var id))
            return Problems.NotFound("beneficiaryId", "No current beneficiary has this id.");
        LocalDate? date = null;
        if (!string.IsNullOrWhiteSpace(effectiveOn))
        {
            if (!Wire.TryDate(effectiveOn, out var parsed))
                return Problems.BadDate("effectiveOn", effectiveOn);
            date = parsed;
        }

        var change = await bus.InvokeAsync<AccountChange>(
            new RemoveBeneficiary(affiliationNumber, id, date),
            Recording.Of(context),
            ct
        );
        return change.Answer(_ => Results.NoContent());
    }
}
