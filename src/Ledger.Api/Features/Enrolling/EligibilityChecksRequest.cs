namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record EligibilityChecksRequest(bool IdentityVerified, bool ResidesAbroad, bool NotInsuredElsewhere);
