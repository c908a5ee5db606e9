namespace Salex.Ledger.Api.Features.Auditing;

public sealed record DigestView(
    string Date,
    DateTimeOffset At,
    string Digest,
    int Streams,
    long Events,
    long UpToSequence,
    long Version,
    string? Signature = null,
    string? KeyId = null
);
