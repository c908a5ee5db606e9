using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Calendar;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// An insured person or a beneficiary as a FHIR <c>Patient</c>: identifiers, name and birth date, nothing else (no
/// address, country, telecom or e-mail: a clinic needs none of them to serve the person).
/// </summary>
public static class FhirPatient
{
    /// <summary>The identifier types of HL7 v2 table 0203: national identifier, member number.</summary>
    private const string IdentifierTypes = "http://terminology.hl7.org/CodeSystem/v2-0203";

    public static R4.Patient Of(Account account, FhirSettings settings) =>
        new()
        {
            Id = account.Id,
            Identifier =
            [
                new R4.Identifier(settings.DuiSystem, account.Dui)
                {
                    Use = R4.Identifier.IdentifierUse.Official,
                    Type = new R4.CodeableConcept(
                        IdentifierTypes,
                        "NI",
                        "National unique individual identifier",
                        "DUI"
                    ),
                },
                AffiliationIdentifier(account, settings),
            ],
            Name = [new R4.HumanName { Use = R4.HumanName.NameUse.Official, Text = account.FullName }],
            BirthDate = Dates.Format(account.BirthDate),
        };

    public static R4.Identifier AffiliationIdentifier(Account account, FhirSettings settings) =>
        new(settings.AffiliationSystem, account.Id)
        {
            Use = R4.Identifier.IdentifierUse.Secondary,
            Type = new R4.CodeableConcept(IdentifierTypes, "MB", "Member Number", "SALEX affiliation number"),
        };

    /// <summary>A beneficiary has no identifier of the ledger's but its id, a UUID; contained in the answer.</summary>
    public static R4.Patient Of(BeneficiaryRightsView beneficiary) =>
        new()
        {
            Id = ContainedId(beneficiary),
            Identifier = [new R4.Identifier("urn:ietf:rfc:3986", $"urn:uuid:{beneficiary.Id}")],
            Name = [new R4.HumanName { Text = beneficiary.Name }],
            BirthDate = beneficiary.BirthDate,
        };

    public static string ContainedId(BeneficiaryRightsView beneficiary) => $"patient-{beneficiary.Id:N}";

    public static R4.ResourceReference ReferenceTo(Account account) => new($"Patient/{account.Id}", account.FullName);
}
