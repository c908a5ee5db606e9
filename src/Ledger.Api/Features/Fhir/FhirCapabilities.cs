using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Capability = Hl7.Fhir.Model.CapabilityStatement;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>What the ledger's FHIR R4 endpoint can do, as its <c>CapabilityStatement</c>.</summary>
public static class FhirCapabilities
{
    /// <summary>When these capabilities last changed.</summary>
    public const string Date = "2026-12-01";

    public static R4.CapabilityStatement Statement(string baseUrl, FhirSettings settings) =>
        new()
        {
            Status = R4.PublicationStatus.Active,
            Date = Date,
            Publisher = "Instituto Salvadoreño del Seguro Social (ISSS)",
            Kind = R4.CapabilityStatementKind.Instance,
            Software = new Capability.SoftwareComponent { Name = "SALEX contribution ledger" },
            Implementation = new Capability.ImplementationComponent
            {
                Description = "Rights of the SALEX regime (Salvadoreños en el exterior) as FHIR R4 eligibility.",
                Url = baseUrl,
            },
            FhirVersion = R4.FHIRVersion.N4_0_1,
            Format = [FhirJson.MediaType, "json"],
            Rest =
            [
                new Capability.RestComponent
                {
                    Mode = Capability.RestfulCapabilityMode.Server,
                    Documentation =
                        $"Persons are named by identifiers: DUI '{settings.DuiSystem}', SALEX affiliation "
                        + $"number '{settings.AffiliationSystem}'. Errors are OperationOutcome resources.",
                    Security = new Capability.SecurityComponent
                    {
                        Cors = false,
                        Description =
                            $"An API key in the {ApiKeyAuthenticationHandler.Header} header, of a role "
                            + $"that may read rights ({Roles.ReadRights.Replace(",", ", ")}); this statement is open.",
                    },
                    Resource =
                    [
                        Resource(
                            "Patient",
                            Capability.TypeRestfulInteraction.Read,
                            "An insured person by affiliation number: identifiers, name, birth date; no contact data."
                        ),
                        Resource(
                            "Coverage",
                            Capability.TypeRestfulInteraction.Read,
                            "An insured person's SALEX coverage by affiliation number."
                        ),
                        Resource(
                            "CoverageEligibilityRequest",
                            Capability.TypeRestfulInteraction.Create,
                            "POST a CoverageEligibilityRequest (patient by identifier, servicedDate; default today in "
                                + "El Salvador): answered 200 with a CoverageEligibilityResponse, nothing stored."
                        ),
                    ],
                },
            ],
        };

    private static Capability.ResourceComponent Resource(
        string type,
        Capability.TypeRestfulInteraction interaction,
        string documentation
    ) =>
        new()
        {
            Type = type,
            Documentation = documentation,
            Interaction = [new Capability.ResourceInteractionComponent { Code = interaction }],
        };
}
