using NodaTime.Text;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// A recorded digest with the heads it was made of: what an auditor needs to check the ledger offline. Its fields
/// are the digest event's in wire form (<c>at</c> in UTC to the microsecond, as signed); <see cref="SignedText"/>
/// is the exact text the signature covers.
/// </summary>
public sealed record ArchivedDigest(
    string Date,
    string At,
    string Digest,
    int Streams,
    long Events,
    long UpToSequence,
    string? Signature,
    string? KeyId,
    long Version,
    string? PublicKey,
    string SignedText,
    IReadOnlyList<StreamHead> Heads
)
{
    public static ArchivedDigest Of(
        LedgerDigestRecorded d,
        long version,
        string? publicKey,
        IReadOnlyList<StreamHead> heads
    ) =>
        new(
            Dates.Format(d.Date),
            DigestSignature.AtText(d.At),
            d.Digest,
            d.Streams,
            d.Events,
            d.UpToSequence,
            d.Signature,
            d.KeyId,
            version,
            publicKey,
            DigestSignature.SignedText(d),
            heads
        );

    /// <summary>The digest event this file records (null when its date or instant cannot be read).</summary>
    public LedgerDigestRecorded? ToRecorded() =>
        Dates.TryParse(Date, out var date) && InstantPattern.ExtendedIso.Parse(At) is { Success: true } at
            ? new LedgerDigestRecorded(date, at.Value, Digest, Streams, Events, UpToSequence, Signature, KeyId)
            : null;
}
