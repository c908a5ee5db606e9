using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI contract at <c>/openapi/v1.json</c>: ASP.NET Core's generator over Wolverine's endpoint descriptions,
/// corrected once (<see cref="ContractDescriptionProvider"/>) and finished by three transformers. Endpoints carry
/// only what is theirs: operation id, tag, summary, request type, answers and their statuses.
/// </summary>
public static class LedgerOpenApi
{
    public static IServiceCollection AddLedgerOpenApi(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, ContractDescriptionProvider>());
        return services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = type =>
                type.Type == typeof(HttpValidationProblemDetails) ? "ProblemDetails"
                : type.Type == typeof(Features.Enrolling.BeneficiaryRequest) ? "EnrolmentBeneficiaryRequest"
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer<LedgerSchemaTransformer>();
            options.AddOperationTransformer<LedgerOperationTransformer>();
            options.AddDocumentTransformer<LedgerDocumentTransformer>();
        });
    }
}
