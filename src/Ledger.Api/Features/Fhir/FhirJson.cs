using Hl7.Fhir.Serialization;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// FHIR JSON in and out, with Firely's deserializer. Requests are read in <c>NoOverflow</c> mode: an unknown
/// element or a value of the wrong JSON type is refused (nothing the ledger reads can end up unread), while a
/// missing element the ledger does not need (<c>created</c>, <c>insurer</c>) is accepted, as hospital systems
/// often leave them out.
/// </summary>
public static class FhirJson
{
    public const string MediaType = "application/fhir+json";
    public const string ContentType = MediaType + "; charset=utf-8";

    public static FhirJsonDeserializer Deserializer { get; } =
        new(new DeserializerSettings().UsingMode(DeserializationMode.NoOverflow));

    /// <summary>The body types a FHIR request may carry; none given is read as FHIR JSON.</summary>
    public static bool Accepts(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType)
        || Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.MediaType.Value?.ToLowerInvariant() is MediaType or "application/json";
}
