namespace Salex.Ledger.Api.Features.Banks;

public sealed record RegisterBankRequest(string? Code, string? Name, string[]? Bics, string[]? Accounts = null);
