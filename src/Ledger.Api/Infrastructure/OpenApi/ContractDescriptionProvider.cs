using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Wolverine.Http;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Corrects what Wolverine tells ApiExplorer about the ledger's endpoints, before the OpenAPI document is built from
/// it. Endpoints read their bodies with <see cref="JsonBody"/> (to name the bad field), so Wolverine sees no request
/// type: the type declared with <c>[Consumes(typeof(T), ...)]</c> becomes the body. Wolverine describes an
/// <see cref="IResult"/> return as a 200 <c>IResult</c> and adds a 404 to every route: both are dropped unless the
/// endpoint declares them. Every error is a problem details document (<c>application/problem+json</c>), and the
/// statuses every route can answer are added in one place: 400 (the input guard holds every route and query
/// value), 503 (the database cannot be reached), 401/403 where a key is needed, 413/415 where there is a body.
/// </summary>
public sealed class ContractDescriptionProvider : IApiDescriptionProvider
{
    public const string ProblemJson = "application/problem+json";
    public const string FhirJson = "application/fhir+json";

    private static readonly EmptyModelMetadataProvider Models = new();

    // After Wolverine's provider (which fills its results while providers execute).
    public int Order => 1000;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context) { }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
            if (description.ActionDescriptor is WolverineActionDescriptor)
                Correct(description);
    }

    private static void Correct(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata ?? [];
        var fhir = description.RelativePath?.StartsWith("fhir/", StringComparison.Ordinal) == true;

        var declaredBody = metadata.OfType<IAcceptsMetadata>().FirstOrDefault(m => m.RequestType is not null);
        var hasBody =
            declaredBody is not null
            || metadata.OfType<RawBodyAttribute>().Any()
            || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        if (declaredBody is not null && description.ParameterDescriptions.All(p => p.Source != BindingSource.Body))
        {
            description.ParameterDescriptions.Add(
                new ApiParameterDescription
                {
                    Name = "body",
                    Type = declaredBody.RequestType!,
                    Source = BindingSource.Body,
                    IsRequired = true,
                    ModelMetadata = Models.GetMetadataForType(declaredBody.RequestType!),
                    ParameterDescriptor = new ParameterDescriptor
                    {
                        Name = "body",
                        ParameterType = declaredBody.RequestType!,
                    },
                }
            );
            description.SupportedRequestFormats.Clear();
            foreach (var contentType in declaredBody.ContentTypes)
                description.SupportedRequestFormats.Add(new ApiRequestFormat { MediaType = contentType });
        }

        var declared = metadata.OfType<ProducesResponseTypeAttribute>().Select(a => a.StatusCode).ToHashSet();
        var kept = description
            .SupportedResponseTypes.Where(r =>
                (r.Type is null || !typeof(IResult).IsAssignableFrom(r.Type))
                && (r.StatusCode < 400 || declared.Contains(r.StatusCode))
            )
            .ToList();

        var open = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        var statuses = new SortedSet<int>(kept.Where(r => r.StatusCode >= 400).Select(r => r.StatusCode)) { 400, 503 };
        if (!open)
            statuses.UnionWith([401, 403]);
        if (hasBody)
            statuses.Add(413);
        // Routing refuses another content type where the endpoint declares one; a bank file's endpoint names it (400).
        if (declaredBody is not null || (fhir && hasBody))
            statuses.Add(415);
        // An error the endpoint declares with its own body (the health check's 503) keeps it.
        var own = kept.Where(r =>
                r.StatusCode >= 400
                && r.Type is { } t
                && t != typeof(HttpValidationProblemDetails)
                && t != typeof(ProblemDetails)
                && t != typeof(FhirResource)
            )
            .ToList();
        description.SupportedResponseTypes.Clear();
        foreach (var response in kept.Where(r => r.StatusCode < 400).Concat(own).OrderBy(r => r.StatusCode))
            description.SupportedResponseTypes.Add(response);
        foreach (var status in statuses.Where(s => own.All(o => o.StatusCode != s)))
            description.SupportedResponseTypes.Add(Problem(status, fhir));
        var ordered = description.SupportedResponseTypes.OrderBy(r => r.StatusCode).ToList();
        description.SupportedResponseTypes.Clear();
        foreach (var response in ordered)
            description.SupportedResponseTypes.Add(response);
    }

    private static ApiResponseType Problem(int status, bool fhir) =>
        new()
        {
            StatusCode = status,
            Type = fhir ? typeof(FhirResource) : typeof(HttpValidationProblemDetails),
            ModelMetadata = Models.GetMetadataForType(
                fhir ? typeof(FhirResource) : typeof(HttpValidationProblemDetails)
            ),
            ApiResponseFormats = [new ApiResponseFormat { MediaType = fhir ? FhirJson : ProblemJson }],
        };
}
