namespace Salex.Ledger.Api.Features.Accounts.Returning;

public sealed record ReturnRequest(string? ReturnedOn);
