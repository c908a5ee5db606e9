using Salex.Ledger.Banks;

namespace Salex.Ledger.Api.Features.Banks;

public sealed record PartnerBanksView(long Version, IReadOnlyList<PartnerBankView> Banks)
{
    public static PartnerBanksView Of(PartnerBanks banks, long version) =>
        new(version, [.. banks.All.Select(b => new PartnerBankView(b.Code, b.Name, b.Bics, b.AccountIds))]);
}
