using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
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
    [WolverineGet(FhirRoutes.Base + "/metadata", OperationId = "getFhirCapabilities")]
    [Tags(ApiAreas.Fhir)]
    [EndpointSummary("The FHIR CapabilityStatement")]
    [ProducesResponseType<FhirResource>(200, "application/fhir+json")]
    [AllowAnonymous]
    public static IResult Metadata(HttpRequest request, IOptions<FhirSettings> options) =>
        new FhirResult(
            FhirCapabilities.Statement(
                $"{request.Scheme}://{request.Host}{request.PathBase}{FhirRoutes.Base}",
                options.Value
            )
        );

    [WolverineGet(FhirRoutes.Base + "/Patient/{id}", OperationId = "getFhirPatient")]
    [Tags(ApiAreas.Fhir)]
    [EndpointSummary("The insured as a FHIR Patient")]
    [ProducesResponseType<FhirResource>(200, "application/fhir+json")]
    [ProducesResponseType<FhirResource>(404, "application/fhir+json")]
    [Authorize(Roles = Roles.ReadRights)]
    public static async Task<IResult> Patient(
        string id,
        StandbyReads reads,
        IOptions<FhirSettings> options,
        CancellationToken ct
    )
    {
        return await reads.LiveAccountAsync(id, ct) is { } account
            ? new FhirResult(FhirPatient.Of(account, options.Value))
            : Unknown("Patient", id);
    }

    [WolverineGet(FhirRoutes.Base + "/Coverage/{id}", OperationId = "getFhirCoverage")]
    [Tags(ApiAreas.Fhir)]
    [EndpointSummary("The insured's SALEX coverage as a FHIR Coverage")]
    [ProducesResponseType<FhirResource>(200, "application/fhir+json")]
    [ProducesResponseType<FhirResource>(404, "application/fhir+json")]
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
        return await reads.LiveAccountAsync(id, ct) is { } account
            ? new FhirResult(
                FhirCoverage.Of(account, Standing.On(account, ElSalvador.Today(clock), regime), options.Value)
            )
            : Unknown("Coverage", id);
    }

    private static FhirResult Unknown(string type, string id) =>
        FhirOutcome.NotFound(type, $"No insured person has the affiliation number '{id}' ({type}/{id} is unknown).");
}
