using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record StreamIntegrity(
    string AffiliationNumber,
    bool Intact,
    long Events,
    long HeadVersion,
    string? HeadHash,
    BrokenLink? BrokenLink
);
