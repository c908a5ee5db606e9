using System.Text.Json;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Api.Infrastructure.Settings;
using Wolverine.Http;
using R4 = Hl7.Fhir.Model;

namespace Salex.Ledger.Api.Features.Fhir;

public static class EligibilityEndpoint
{
    /// <summary>
    /// "Does this person have rights on this day?" the FHIR way: a <c>CoverageEligibilityRequest</c> in, a
    /// <c>CoverageEligibilityResponse</c> out (200; nothing is stored). Errors are <c>OperationOutcome</c>s: 400 for a
    /// body that is not such a request or names no person we can look up, 404 for an unknown person, 413, 415.
    /// </summary>
    [WolverinePost(FhirRoutes.Base + "/CoverageEligibilityRequest", OperationId = "checkEligibilityFhir")]
    [Tags(ApiAreas.Fhir)]
    [EndpointSummary("Rights as a FHIR CoverageEligibilityResponse")]
    [RawBody("A FHIR R4 CoverageEligibilityRequest (JSON).", "application/fhir+json", "application/json")]
    [ProducesResponseType<FhirResource>(200, "application/fhir+json")]
    [ProducesResponseType<FhirResource>(404, "application/fhir+json")]
    [Authorize(Roles = Roles.ReadRights)]
    public static async Task<IResult> Post(
        HttpContext context,
        StandbyReads reads,
        IClock clock,
        Regime regime,
        IOptions<FhirSettings> options,
        CancellationToken ct
    )
    {
        var settings = options.Value;
        if (!FhirJson.Accepts(context.Request.ContentType))
            return FhirOutcome.Of(
                StatusCodes.Status415UnsupportedMediaType,
                [(null, $"The body must be FHIR JSON (Content-Type: {FhirJson.MediaType} or application/json).")]
            );
        var (body, tooLarge) = await ReadBodyAsync(context.Request, ct);
        if (body is null)
            return tooLarge!;
        var (request, problem) = Parse(body);
        if (request is null)
            return problem!;
        var (question, refused) = EligibilityQuestion.Of(request, settings, clock);
        if (question is null)
            return refused!;

        var key = question.Patient;
        var account = key.IsDui
            ? await reads.LiveAccountByDuiAsync(key.Value, ct)
            : await reads.LiveAccountAsync(key.Value, ct);
        if (account is null)
            return FhirOutcome.NotFound(
                "CoverageEligibilityRequest.patient",
                $"No insured person has the {(key.IsDui ? "DUI" : "affiliation number")} '{key.Value}'."
            );
        return new FhirResult(EligibilityAnswer.Of(account, question, regime, settings, clock.GetCurrentInstant()));
    }

    /// <summary>The body, at most <see cref="Limits.JsonBodyBytes"/> (the test server enforces no limit; Kestrel
    /// does, and its 413 is answered the same).</summary>
    private static async Task<(byte[]? Body, FhirResult? Problem)> ReadBodyAsync(
        HttpRequest request,
        CancellationToken ct
    )
    {
        if (request.ContentLength > Limits.JsonBodyBytes)
            return (null, FhirOutcome.TooLarge());
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > Limits.JsonBodyBytes)
                    return (null, FhirOutcome.TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, FhirOutcome.TooLarge());
        }
        return (buffer.ToArray(), null);
    }

    private static (R4.CoverageEligibilityRequest? Request, FhirResult? Problem) Parse(byte[] body)
    {
        const string wanted = "The body must be a FHIR R4 CoverageEligibilityRequest";
        if (body.Length == 0)
            return (null, FhirOutcome.Invalid("CoverageEligibilityRequest", wanted + "; it is empty."));
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!FhirJson.Deserializer.TryDeserializeResource(reader, out var resource, out var issues))
                return (null, FhirOutcome.Of(StatusCodes.Status400BadRequest, issues.Select(Issue)));
            if (resource is R4.CoverageEligibilityRequest request)
                return (request, null);
            // Without a resourceType ({}) the SDK names its stand-in type ("UnnamedResource_$this"): say what is missing.
            var kind =
                resource?.TypeName is { } name && !name.StartsWith("UnnamedResource", StringComparison.Ordinal)
                    ? name
                    : null;
            return (
                null,
                FhirOutcome.Invalid(
                    "resourceType",
                    kind is null ? $"{wanted}; it has no resourceType." : $"{wanted}, not a {kind}."
                )
            );
        }
        // Whatever the deserializer throws is about the body it was given (a JSON array throws, for one).
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, FhirOutcome.Invalid("CoverageEligibilityRequest", $"{wanted} in JSON: {e.Message}"));
        }
    }

    private static (string? Expression, string Diagnostics) Issue(CodedException e) =>
        (
            e is ExtendedCodedException { InstancePath: { Length: > 0 } path } ? path : null,
            e is ExtendedCodedException extended ? extended.BaseErrorMessage : e.Message
        );
}
