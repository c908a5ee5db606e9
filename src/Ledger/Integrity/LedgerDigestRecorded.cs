using NodaTime;

namespace Salex.Ledger.Integrity;

/// <summary>
/// A digest of the whole ledger, recorded on the <c>ledger-digest</c> stream: the hash over every other
/// stream's head (<see cref="LedgerDigest"/>), how many streams and events it covers, and the highest event
/// sequence it saw, so it can be recomputed later from the same heads. <see cref="Signature"/> is the
/// <see cref="DigestSignature"/> of the other fields by the key <see cref="KeyId"/> (null when no key was configured).
/// </summary>
public sealed record LedgerDigestRecorded(
    LocalDate Date,
    Instant At,
    string Digest,
    int Streams,
    long Events,
    long UpToSequence,
    string? Signature = null,
    string? KeyId = null
);
