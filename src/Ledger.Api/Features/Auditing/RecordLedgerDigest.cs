namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>The daily message that records the ledger's digest (scheduled by Wolverine, like the lapse
/// sweep).</summary>
public sealed record RecordLedgerDigest;
