using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// A SALEX coverage episode as a FHIR <c>Coverage</c>: the insured's own (<c>Coverage/{affiliationNumber}</c>), or a
/// beneficiary's (contained in an eligibility answer), the insured being the subscriber. <c>status</c> is
/// <c>active</c> until the episode has ended (arrears suspend rights, they do not end the contract: the
/// eligibility answer says whether it is in force), <c>period</c> runs from its first period to its end, or to
/// the end of a return window once known.
/// </summary>
public static class FhirCoverage
{
    public static R4.ResourceReference Insurer => new() { Display = "Instituto Salvadoreño del Seguro Social (ISSS)" };

    public static R4.Coverage Of(Account account, Standing standing, FhirSettings settings)
    {
        var coverage = Coverage(account, standing, account.Id, FhirPatient.ReferenceTo(account), "self");
        coverage.Identifier = [FhirPatient.AffiliationIdentifier(account, settings)];
        return coverage;
    }

    /// <summary>A beneficiary's coverage, contained in an answer beside the beneficiary's contained Patient.</summary>
    public static R4.Coverage Of(Account account, Standing standing, BeneficiaryRightsView beneficiary) =>
        Coverage(
            account,
            standing,
            ContainedId(beneficiary),
            new R4.ResourceReference("#" + FhirPatient.ContainedId(beneficiary)),
            beneficiary.Relationship == nameof(Relationship.Child) ? "child" : "spouse"
        );

    public static string ContainedId(BeneficiaryRightsView beneficiary) => $"coverage-{beneficiary.Id:N}";

    private static R4.Coverage Coverage(
        Account account,
        Standing standing,
        string id,
        R4.ResourceReference beneficiary,
        string relationship
    )
    {
        var episode = standing.Episode ?? account.CurrentEpisode;
        var end = standing.End?.EffectiveOn.PlusDays(-1) ?? episode.CoveredUntil;
        return new R4.Coverage
        {
            Id = id,
            Status = standing.End is null
                ? R4.FinancialResourceStatusCodes.Active
                : R4.FinancialResourceStatusCodes.Cancelled,
            Subscriber = FhirPatient.ReferenceTo(account),
            SubscriberId = account.Id,
            Beneficiary = beneficiary,
            Relationship = new R4.CodeableConcept(
                "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                relationship
            ),
            Period = new R4.Period
            {
                Start = Dates.Format(episode.FirstPeriod.FirstDay()),
                End = end is { } last ? Dates.Format(last) : null,
            },
            Payor = [Insurer],
            Class =
            [
                new R4.Coverage.ClassComponent
                {
                    Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                    Value = "SALEX",
                    Name = "Régimen especial de salvadoreños en el exterior",
                },
            ],
        };
    }
}
