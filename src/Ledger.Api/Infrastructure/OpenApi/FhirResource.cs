namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// How the OpenAPI document names a FHIR R4 resource in JSON (a CoverageEligibilityRequest, a
/// CoverageEligibilityResponse, a Patient, an OperationOutcome...): an object with its <c>resourceType</c>; the
/// elements are FHIR's (https://hl7.org/fhir/R4), read and written with Firely's SDK, never with this type.
/// </summary>
public sealed record FhirResource(string ResourceType);
