using System.ComponentModel.DataAnnotations;
using Salex.Ledger.Api.Infrastructure.OpenApi;

namespace Salex.Ledger.Api.Features.Rates;

public sealed record ProposeRateChangeRequest(
    [property: AllowedValues("Withdraw", "Correct")] string? Kind,
    string? FirstPeriod,
    [property: WireOptional] decimal? MinimumWage,
    string? Reason
);
