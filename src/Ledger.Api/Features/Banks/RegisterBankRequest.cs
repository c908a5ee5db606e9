using Salex.Ledger.Api.Infrastructure.OpenApi;

namespace Salex.Ledger.Api.Features.Banks;

public sealed record RegisterBankRequest(
    string? Code,
    string? Name,
    [property: WireOptional] string[]? Bics,
    [property: WireOptional] string[]? Accounts = null
);
