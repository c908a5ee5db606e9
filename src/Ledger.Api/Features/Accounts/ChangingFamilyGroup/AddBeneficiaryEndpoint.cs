using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public static class AddBeneficiaryEndpoint
{
    [WolverinePost("/api/insured/{affiliationNumber}/beneficiaries", OperationId = "addBeneficiary")]
    [Tags(ApiAreas.Accounts)]
    [EndpointSummary("Add a spouse, partner or child")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(BeneficiaryRequest), "application/json")]
    [ProducesResponseType<BeneficiaryView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(
        string affiliationNumber,
        HttpContext context,
        IMessageBus bus,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<BeneficiaryRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var beneficiary = new Beneficiary(
            Guid.NewGuid(),
            wire.Text("fullName", request!.FullName, Limits.Name),
            wire.Date("birthDate", request.BirthDate),
            wire.Enum<Relationship>("relationship", request.Relationship)
        );
        LocalDate? effectiveOn = string.IsNullOrWhiteSpace(request.EffectiveOn)
            ? null
            : wire.Date("effectiveOn", request.EffectiveOn);
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        var change = await bus.InvokeAsync<AccountChange>(
            new AddBeneficiary(affiliationNumber, beneficiary, effectiveOn),
            Recording.Of(context),
            ct
        );
        return change.Answer(_ =>
            Results.Created(
                $"/api/insured/{affiliationNumber}",
                new BeneficiaryView(
                    beneficiary.Id,
                    beneficiary.FullName,
                    Dates.Format(beneficiary.BirthDate),
                    beneficiary.Relationship.ToString(),
                    false
                )
            )
        );
    }
}
