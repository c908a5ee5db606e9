using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Banks;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Banks;

public static class BankEndpoints
{
    [WolverineGet("/api/banks")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<PartnerBanksView>(200)]
    public static PartnerBanksView Get(PartnerBankRegistry registry) => PartnerBanksView.Of(registry.Banks, registry.Version);

    /// <summary>Registers a partner bank (an event on the registry's stream); payments and files may then name it.</summary>
    [WolverinePost("/api/banks")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(RegisterBankRequest), "application/json")]
    [ProducesResponseType<PartnerBanksView>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(HttpContext context, IDocumentStore store, PartnerBankRegistry registry, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<RegisterBankRequest>(context.Request, ct);
        if (problem is not null) return problem;
        if (request!.Name is { } name && Limits.TextProblem(name, Limits.Name) is { } bad) return Problems.Invalid("name", bad);
        if (request.Bics is { Length: > 10 }) return Problems.Invalid("bics", "At most 10 BICs.");
        var registration = new PartnerBankRegistered(PartnerBanks.Normalize(request.Code ?? ""), request.Name?.Trim() ?? "",
            [.. (request.Bics ?? []).Select(b => PartnerBanks.Normalize(b ?? ""))]);

        await registry.EnsureSeededAsync(store, ct);
        // Checked against the banks as read, and appended at the version read: a registration that raced this one fails.
        var (banks, version) = await registry.ReloadVersionedAsync(store, ct);
        if (banks.Check(registration) is { Count: > 0 } refusals) return Problems.From(refusals);
        await using var session = store.OpenSession(context);
        session.Events.Append(PartnerBankRegistry.StreamId, version + 1, registration);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            return Problems.Conflict("code", "Another bank was registered at the same time; retry.");
        }
        var (after, afterVersion) = await registry.ReloadVersionedAsync(store, ct);
        return Results.Created("/api/banks", PartnerBanksView.Of(after, afterVersion));
    }
}
