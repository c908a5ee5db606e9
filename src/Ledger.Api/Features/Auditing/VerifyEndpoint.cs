using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Projections.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

public static class VerifyEndpoint
{
    /// <summary>Walks the account's hash chain: intact, or the first broken link (version, expected and found hash,
    /// reason).</summary>
    [WolverineGet("/api/insured/{affiliationNumber}/verify", OperationId = "verifyAccountChain")]
    [Tags(ApiAreas.Audit)]
    [EndpointSummary("Walk the account's hash chain")]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<StreamIntegrity>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Verify(string affiliationNumber, IDocumentStore store, CancellationToken ct)
    {
        var result = await new ChainVerifier(store).VerifyStreamAsync(affiliationNumber, ct);
        if (result is null)
            return Problems.UnknownAccount(affiliationNumber);
        return Results.Ok(
            new StreamIntegrity(
                affiliationNumber,
                result.Intact,
                result.Events,
                result.HeadVersion,
                result.HeadHash,
                result.BrokenLink
            )
        );
    }
}
