namespace Salex.Ledger.Api.Features.Banks;

public sealed record PartnerBankView(
    string Code,
    string Name,
    IReadOnlyList<string> Bics,
    IReadOnlyList<string> Accounts
);
