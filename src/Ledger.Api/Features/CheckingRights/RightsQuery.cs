using Salex.Ledger.Api.Infrastructure.OpenApi;

namespace Salex.Ledger.Api.Features.CheckingRights;

/// <summary>The body of <c>POST /api/rights/query</c>: up to 1,000 affiliation numbers and a date.</summary>
public sealed record RightsQuery(List<string>? AffiliationNumbers, [property: WireOptional] string? On);
