using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record AccountState(
    string AffiliationNumber,
    string? AsOf,
    long? Version,
    string On,
    AccountSummary Account,
    RightsAnswer Rights
);
