using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Projections.RightsChanges;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.RightsChanges;

public static class RightsChangeFeedEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// The changes of standing after a cursor, in the order they were recorded. Start with <c>after=0</c> (or none),
    /// then ask with the answer's <c>next</c>; the cursor is a number stored with each change, so it stays valid
    /// across restarts and on every node.
    /// </summary>
    [WolverineGet("/api/rights-changes", OperationId = "listRightsChanges")]
    [Tags(ApiAreas.RightsChanges)]
    [EndpointSummary("Changes of rights in order, after a cursor.")]
    [Authorize(Roles = Roles.ReadRights)]
    [ProducesResponseType<RightsChangePage>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400, "application/problem+json")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext context, CancellationToken ct)
    {
        var query = context.Request.Query;
        long after = 0;
        // Digits only, as the cursor is written (Wire.TryDigits).
        if (query["after"] is { Count: > 0 } a && !Wire.TryDigits(a[0], out after))
            return Problems.Invalid("after", "A cursor is a whole number from 0 (the 'next' of a previous page).");
        var limit = DefaultLimit;
        if (query["limit"] is { Count: > 0 } l)
        {
            if (!Wire.TryDigits(l[0], out var asked) || asked is < 1 or > MaxLimit)
                return Problems.Invalid("limit", $"From 1 to {MaxLimit}.");
            limit = (int)asked;
        }

        var entries = await session
            .Query<RightsChangeEntry>()
            .Where(e => e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);
        return Results.Ok(
            new RightsChangePage(
                [.. entries.Select(RightsChangeItem.Of)],
                entries.Count > 0 ? entries[^1].Sequence : after
            )
        );
    }
}
