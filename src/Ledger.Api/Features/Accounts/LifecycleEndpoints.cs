using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts;

public sealed record ReturnRequest(string? ReturnedOn);

public sealed record WithdrawRequest(string? EffectiveOn);

public sealed record BeneficiaryRequest(string? FullName, string? BirthDate, string? Relationship, string? EffectiveOn);

/// <summary>Return to El Salvador, voluntary withdrawal and changes to the family group.</summary>
public static class LifecycleEndpoints
{
    [WolverinePost("/api/insured/{affiliationNumber}/return")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(ReturnRequest), "application/json")]
    [ProducesResponseType<AccountSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    [ProducesResponseType<HttpValidationProblemDetails>(422)]
    public static async Task<IResult> Return(string affiliationNumber, HttpContext context, IDocumentStore store, IClock clock, Regime regime, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReturnRequest>(context.Request, ct);
        if (problem is not null) return problem;
        var wire = new Wire();
        var returnedOn = wire.Date("returnedOn", request!.ReturnedOn);
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);

        var today = ElSalvador.Today(clock);
        return await AccountCommands.DecideAsync(context, store, affiliationNumber,
            account => EpisodeChanges.Return(account, returnedOn, today, regime),
            (account, _) => Results.Ok(AccountEndpoints.SummaryOf(account, today, regime)), ct);
    }

    [WolverinePost("/api/insured/{affiliationNumber}/withdraw")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(WithdrawRequest), "application/json")]
    [ProducesResponseType<AccountSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(422)]
    public static async Task<IResult> Withdraw(string affiliationNumber, HttpContext context, IDocumentStore store, IClock clock, Regime regime, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<WithdrawRequest>(context.Request, ct);
        if (problem is not null) return problem;
        var wire = new Wire();
        var effectiveOn = wire.Date("effectiveOn", request!.EffectiveOn);
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);

        var today = ElSalvador.Today(clock);
        return await AccountCommands.DecideAsync(context, store, affiliationNumber,
            account => EpisodeChanges.Withdraw(account, effectiveOn, today, regime),
            (account, _) => Results.Ok(AccountEndpoints.SummaryOf(account, today, regime)), ct);
    }

    [WolverinePost("/api/insured/{affiliationNumber}/beneficiaries")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(BeneficiaryRequest), "application/json")]
    [ProducesResponseType<BeneficiaryView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> AddBeneficiary(string affiliationNumber, HttpContext context, IDocumentStore store, IClock clock, Regime regime, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<BeneficiaryRequest>(context.Request, ct);
        if (problem is not null) return problem;
        var today = ElSalvador.Today(clock);
        var wire = new Wire();
        var beneficiary = new Beneficiary(Guid.NewGuid(), wire.Text("fullName", request!.FullName, Limits.Name),
            wire.Date("birthDate", request.BirthDate), wire.Enum<Relationship>("relationship", request.Relationship));
        var effectiveOn = string.IsNullOrWhiteSpace(request.EffectiveOn) ? today : wire.Date("effectiveOn", request.EffectiveOn);
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);

        return await AccountCommands.DecideAsync(context, store, affiliationNumber,
            account =>
            {
                var (refusals, added) = FamilyGroup.Add(account, beneficiary, effectiveOn, today, regime);
                return (refusals, added is null ? [] : [added]);
            },
            (_, _) => Results.Created($"/api/insured/{affiliationNumber}",
                new BeneficiaryView(beneficiary.Id, beneficiary.FullName, Dates.Format(beneficiary.BirthDate), beneficiary.Relationship.ToString(), false)), ct);
    }

    [WolverineDelete("/api/insured/{affiliationNumber}/beneficiaries/{beneficiaryId}")]
    [Authorize(Roles = Roles.Enrol)]
    [ProducesResponseType(204)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> RemoveBeneficiary(string affiliationNumber, string beneficiaryId, string? effectiveOn, HttpContext context,
        IDocumentStore store, IClock clock, CancellationToken ct)
    {
        var today = ElSalvador.Today(clock);
        if (!Guid.TryParse(beneficiaryId, out var id)) return Problems.NotFound("beneficiaryId", "No current beneficiary has this id.");
        if (!Wire.TryDateOrToday(effectiveOn, clock, out var date)) return Problems.BadDate("effectiveOn", effectiveOn);
        return await AccountCommands.DecideAsync(context, store, affiliationNumber,
            account =>
            {
                var (refusals, removed) = FamilyGroup.Remove(account, id, date, today);
                return (refusals, removed is null ? [] : [removed]);
            },
            (_, _) => Results.NoContent(), ct);
    }
}
