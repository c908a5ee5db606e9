namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>Where the FHIR R4 routes live, and what registers them.</summary>
public static class FhirRoutes
{
    public const string Base = "/fhir/r4";

    /// <summary>FHIR errors as <c>OperationOutcome</c>: call before <c>AddProblemDetails</c>.</summary>
    public static IServiceCollection AddFhirOutcomes(this IServiceCollection services) =>
        services.AddSingleton<IProblemDetailsWriter, FhirProblemWriter>();
}
