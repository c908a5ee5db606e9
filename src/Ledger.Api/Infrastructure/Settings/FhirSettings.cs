namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// The FHIR identifier systems (section <c>Fhir</c>): the URIs that name a DUI and a SALEX affiliation number in a
/// FHIR <c>Identifier</c>, in what the ledger answers and in what it accepts. The defaults are ISSS-namespaced URIs;
/// the institute replaces them with the ones it registers (a NamingSystem), and every caller must use the same.
/// </summary>
public sealed class FhirSettings : ICheckedSettings
{
    public const string Section = "Fhir";

    public string DuiSystem { get; set; } = "https://fhir.isss.gob.sv/sid/dui";
    public string AffiliationSystem { get; set; } = "https://fhir.isss.gob.sv/sid/salex-affiliation";

    /// <summary>What is wrong with these settings, each naming its setting; nothing when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (SystemProblem(DuiSystem) is { } dui)
            yield return $"Fhir:DuiSystem {dui}";
        if (SystemProblem(AffiliationSystem) is { } affiliation)
            yield return $"Fhir:AffiliationSystem {affiliation}";
        if (DuiSystem == AffiliationSystem)
            yield return "Fhir:DuiSystem and Fhir:AffiliationSystem must differ: each names one kind of identifier.";
    }

    /// <summary>An identifier system is a FHIR <c>uri</c>: absolute (http, https or urn), no blanks.</summary>
    private static string? SystemProblem(string? system)
    {
        if (string.IsNullOrWhiteSpace(system))
            return "is required.";
        if (
            system.Length > 255
            || system.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !Uri.TryCreate(system, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https" or "urn")
        )
            return $"'{Wire.Shown(system)}' is not an absolute http, https or urn URI of at most 255 characters.";
        return null;
    }
}
