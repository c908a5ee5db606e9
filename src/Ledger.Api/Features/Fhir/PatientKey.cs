using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Enrolment;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// How a FHIR caller names an insured person: a DUI or a SALEX affiliation number, as an <c>Identifier</c> with the
/// configured system (<see cref="FhirSettings"/>). An identifier without a system is read by its shape (a DUI is
/// <c>########-#</c>), since both kinds cannot be mistaken for each other.
/// </summary>
public sealed record PatientKey(bool IsDui, string Value)
{
    /// <summary>The key an identifier gives, or why it gives none; neither when its system is not ours.</summary>
    public static (PatientKey? Key, string? Problem) Of(R4.Identifier identifier, FhirSettings settings)
    {
        var value = identifier.Value?.Trim() ?? "";
        var system = identifier.System;
        var isDui = system == settings.DuiSystem || string.IsNullOrEmpty(system) && Dui.HasValidShape(value);
        if (!isDui && !string.IsNullOrEmpty(system) && system != settings.AffiliationSystem)
            return (null, null);
        if (value.Length == 0)
            return (null, "The identifier has no value.");
        if (Limits.TextProblem(value, Limits.QueryValue) is { } problem)
            return (null, problem);
        if (isDui && Dui.Problem(value) is { } duiProblem)
            return (null, duiProblem);
        return (new PatientKey(isDui, value), null);
    }

    /// <summary>
    /// The first identifier in the list that names a person by a system of ours; else why not (a wrong value, or no
    /// identifier with an accepted system).
    /// </summary>
    public static (PatientKey? Key, string? Problem) First(
        IEnumerable<R4.Identifier> identifiers,
        FhirSettings settings
    )
    {
        foreach (var identifier in identifiers.OfType<R4.Identifier>())
            if (Of(identifier, settings) is var (key, problem) && (key is not null || problem is not null))
                return (key, problem);
        return (
            null,
            $"No identifier has an accepted system: '{settings.DuiSystem}' (DUI) or "
                + $"'{settings.AffiliationSystem}' (SALEX affiliation number)."
        );
    }
}
