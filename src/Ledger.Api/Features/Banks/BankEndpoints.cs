using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Banks;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Banks;

public static class BankEndpoints
{
    [WolverineGet("/api/banks", OperationId = "listBanks")]
    [Tags(ApiAreas.Banks)]
    [EndpointSummary("The registry of partner banks")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<PartnerBanksView>(200)]
    public static PartnerBanksView Get(PartnerBankRegistry registry) =>
        PartnerBanksView.Of(registry.Banks, registry.Version);

    /// <summary>Registers a partner bank (an event on the registry's stream); payments and files may then name
    /// it.</summary>
    [WolverinePost("/api/banks", OperationId = "registerBank")]
    [Tags(ApiAreas.Banks)]
    [EndpointSummary("Register a partner bank")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(RegisterBankRequest), "application/json")]
    [ProducesResponseType<PartnerBanksView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(
        HttpContext context,
        IDocumentStore store,
        PartnerBankRegistry registry,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<RegisterBankRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        if (request!.Name is { } name && Limits.TextProblem(name, Limits.Name) is { } bad)
            return Problems.Invalid("name", bad);
        if (request.Bics is { Length: > 10 })
            return Problems.Invalid("bics", "At most 10 BICs.");
        if (request.Accounts is { Length: > MaxAccounts })
            return Problems.Invalid("accounts", $"At most {MaxAccounts} accounts.");
        var registration = new PartnerBankRegistered(
            PartnerBanks.Normalize(request.Code ?? ""),
            request.Name?.Trim() ?? "",
            [.. (request.Bics ?? []).Select(b => PartnerBanks.Normalize(b ?? ""))],
            [.. (request.Accounts ?? []).Select(a => PartnerBanks.NormalizeAccount(a ?? ""))]
        );

        return await RecordAsync(
            context,
            store,
            registry,
            registration,
            banks => banks.Check(registration),
            "code",
            ct
        );
    }

    public const int MaxAccounts = 50;

    public sealed record AddAccountRequest(string? Account);

    /// <summary>
    /// Adds one of the regime's accounts at a registered bank (IBAN or the bank's account id): statements of that
    /// account are the bank's, whatever servicer they name (or none). 409 if the account is another bank's.
    /// </summary>
    [WolverinePost("/api/banks/{code}/accounts", OperationId = "addBankAccount")]
    [Tags(ApiAreas.Banks)]
    [EndpointSummary("Add one of the regime's accounts at a bank")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(AddAccountRequest), "application/json")]
    [ProducesResponseType<PartnerBanksView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> AddAccount(
        string code,
        HttpContext context,
        IDocumentStore store,
        PartnerBankRegistry registry,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<AddAccountRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var added = new PartnerBankAccountAdded(
            PartnerBanks.Normalize(code),
            PartnerBanks.NormalizeAccount(request!.Account ?? "")
        );
        return await RecordAsync(context, store, registry, added, banks => banks.Check(added), "account", ct);
    }

    /// <summary>Checked against the banks as read, and appended at the version read: a change that raced this one
    /// fails.</summary>
    private static async Task<IResult> RecordAsync(
        HttpContext context,
        IDocumentStore store,
        PartnerBankRegistry registry,
        object change,
        Func<PartnerBanks, IReadOnlyList<Refusal>> check,
        string field,
        CancellationToken ct
    )
    {
        await registry.EnsureSeededAsync(store, ct);
        var (banks, version) = await registry.ReloadVersionedAsync(store, ct);
        if (check(banks) is { Count: > 0 } refusals)
            return Problems.From(refusals);
        await using var session = store.OpenSession(context);
        session.Events.Append(PartnerBankRegistry.StreamId, version + 1, change);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            return Problems.Conflict(field, "The registry was changed at the same time; retry.");
        }
        var (after, afterVersion) = await registry.ReloadVersionedAsync(store, ct);
        return Results.Created("/api/banks", PartnerBanksView.Of(after, afterVersion));
    }
}
