namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>A recorded digest, recomputed now from the chain's heads: <c>matches</c> is false if history was rewritten
/// since.</summary>
public sealed record DigestCheck(
    string Date,
    DateTimeOffset At,
    string Digest,
    int Streams,
    long Events,
    long UpToSequence,
    long Version,
    string Recomputed,
    bool Matches
);
