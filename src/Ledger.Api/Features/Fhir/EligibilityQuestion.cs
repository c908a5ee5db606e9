using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Purpose = Hl7.Fhir.Model.CoverageEligibilityResponse.EligibilityResponsePurpose;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// What a <c>CoverageEligibilityRequest</c> asks the ledger: who (<see cref="PatientKey"/>), on which day
/// (<c>servicedDate</c>, or the start of <c>servicedPeriod</c>; today in El Salvador when neither), and how the
/// answer names the request (its first identifier) and its purposes (validation and benefits when none is given).
/// </summary>
public sealed record EligibilityQuestion(
    PatientKey Patient,
    LocalDate On,
    R4.ResourceReference Request,
    IReadOnlyList<Purpose> Purposes
)
{
    private const string Root = "CoverageEligibilityRequest";

    public static (EligibilityQuestion? Question, FhirResult? Problem) Of(
        R4.CoverageEligibilityRequest request,
        FhirSettings settings,
        IClock clock
    )
    {
        var (patient, at, reason) = PatientOf(request, settings);
        if (patient is null)
            return (null, FhirOutcome.Invalid(at, reason ?? "The patient is not named."));
        var (on, dateProblem) = DateOf(request.Serviced, clock);
        if (dateProblem is not null)
            return (null, dateProblem);
        var reference = request.Identifier.FirstOrDefault() is { } id
            ? new R4.ResourceReference { Identifier = id }
            : new R4.ResourceReference { Display = "The CoverageEligibilityRequest posted (not stored)" };
        // The request's and the response's purposes are the same four codes.
        // A JSON null in a list is read as a null element: skipped, here and in the identifiers.
        var purposes = request
            .PurposeElement.OfType<R4.Code<R4.CoverageEligibilityRequest.EligibilityRequestPurpose>>()
            .Select(p => Enum.TryParse<Purpose>(p.Value?.ToString(), out var q) ? q : (Purpose?)null)
            .OfType<Purpose>()
            .Distinct()
            .ToList();
        return (
            new EligibilityQuestion(
                patient,
                on,
                reference,
                purposes.Count > 0 ? purposes : [Purpose.Validation, Purpose.Benefits]
            ),
            null
        );
    }

    /// <summary>
    /// The patient as a hospital system sends it: a logical reference (<c>patient.identifier</c>), a contained
    /// Patient (<c>patient.reference = "#id"</c>) with identifiers, or <c>Patient/{affiliationNumber}</c> as this
    /// server's own Patient read names it. Else where the request is at fault and why.
    /// </summary>
    private static (PatientKey? Key, string At, string? Reason) PatientOf(
        R4.CoverageEligibilityRequest request,
        FhirSettings settings
    )
    {
        const string at = Root + ".patient";
        var reference = request.Patient;
        if (reference is null)
            return (null, at, "The patient is required: a DUI or an affiliation number.");
        if (reference.Identifier is { } identifier)
            return With(PatientKey.First([identifier], settings), at + ".identifier");
        var target = reference.Reference?.Trim() ?? "";
        if (target.StartsWith('#'))
        {
            var contained = request.Contained.OfType<R4.Patient>().FirstOrDefault(p => "#" + p.Id == target);
            return contained is null
                ? (null, at + ".reference", $"No contained Patient has the id '{Wire.Shown(target[1..])}'.")
                : With(
                    PatientKey.First(contained.Identifier, settings),
                    $"{Root}.contained.where(id = '{contained.Id}').identifier"
                );
        }
        var index = target.LastIndexOf("Patient/", StringComparison.Ordinal);
        if (index >= 0 && target[(index + "Patient/".Length)..] is { Length: > 0 } number && !number.Contains('/'))
            return With(
                PatientKey.Of(new R4.Identifier(settings.AffiliationSystem, number), settings),
                at + ".reference"
            );
        return (
            null,
            at,
            "The patient must be named by an identifier (patient.identifier), a contained Patient "
                + "with identifiers, or Patient/{affiliationNumber}."
        );
    }

    private static (PatientKey?, string, string?) With((PatientKey? Key, string? Problem) found, string at) =>
        (found.Key, at, found.Problem);

    private static (LocalDate On, FhirResult? Problem) DateOf(R4.DataType? serviced, IClock clock)
    {
        var (text, at) = serviced switch
        {
            R4.Date date => (date.Value, Root + ".servicedDate"),
            R4.Period period => (
                period.Start is { Length: >= 10 } start ? start[..10] : period.Start,
                Root + ".servicedPeriod.start"
            ),
            _ => (null, Root + ".servicedDate"),
        };
        if (serviced is R4.Period && text is null)
            return (default, FhirOutcome.Invalid(at, "The period has no start."));
        return Wire.TryDateOrToday(text, clock, out var on)
            ? (on, null)
            : (default, FhirOutcome.Invalid(at, Wire.DateReason(text)));
    }
}
