namespace Salex.Ledger.Api.Features.Accounts.Withdrawing;

public sealed record WithdrawRequest(string? EffectiveOn);
