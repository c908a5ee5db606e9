using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// The FHIR reads: the server's CapabilityStatement (open, like the OpenAPI document: a FHIR client reads it before
/// it has credentials), and an insured person's Patient and Coverage, by affiliation number.
/// </summary>
public static class FhirReadEndpoints
{
    [WolverineGet(FhirRoutes.Base + "/metadata")]
    [AllowAnonymous]
    public static IResult Metadata(HttpRequest request, IOptions<FhirSettings> options) =>
        new FhirResult(
            FhirCapabilities.Statement(
                $"{request.Scheme}://{request.Host}{request.PathBase}{FhirRoutes.Base}",
                options.Value
            )
        );

    [WolverineGet(FhirRoutes.Base + "/Patient/{id}")]
    [Authorize(Roles = Roles.ReadRights)]
    public static async Task<IResult> Patient(
        string id,
        StandbyReads reads,
        IOptions<FhirSettings> options,
        CancellationToken ct
    )
    {
        await using var session = reads.Open();
        return await session.LoadAsync<Account>(id, ct) is { } account
            ? new FhirResult(FhirPatient.Of(account, options.Value))
            : Unknown("Patient", id);
    }

    [WolverineGet(FhirRoutes.Base + "/Coverage/{id}")]
    [Authorize(Roles = Roles.ReadRights)]
    public static async Task<IResult> Coverage(
        string id,
        StandbyReads reads,
        IClock clock,
        Regime regime,
        IOptions<FhirSettings> options,
        CancellationToken ct
    )
    {
        await using var session = reads.Open();
        return await session.LoadAsync<Account>(id, ct) is { } account
            ? new FhirResult(
                FhirCoverage.Of(account, Standing.On(account, ElSalvador.Today(clock), regime), options.Value)
            )
            : Unknown("Coverage", id);
    }

    private static FhirResult Unknown(string type, string id) =>
        FhirOutcome.NotFound(type, $"No insured person has the affiliation number '{id}' ({type}/{id} is unknown).");
}
