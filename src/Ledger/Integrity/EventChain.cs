using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Salex.Ledger.Integrity;

/// <summary>
/// One stored event as the hash chain sees it: every field in the text form PostgreSQL gives back
/// (<c>data::text</c> and <c>headers::text</c> are jsonb's canonical rendering: keys sorted, fixed spacing),
/// so the hash can be recomputed from what is stored, whatever serializer wrote it.
/// </summary>
public sealed record ChainedEvent(
    string StreamId,
    long Version,
    Guid EventId,
    string Type,
    DateTimeOffset? Timestamp,
    string Data,
    string? Headers,
    string? CorrelationId,
    string? CausationId,
    string? UserName
);

/// <summary>
/// The tamper-evidence chain of a stream: each event's SHA-256 covers its content, its place in the stream
/// and the previous event's hash (the first event's previous hash is 64 zeros). The database computes the
/// same function when the event is inserted (see <c>EventChainSchema</c> in the projections); this is the
/// independent recomputation that verification uses.
/// </summary>
public static class EventChain
{
    public const string Version1 = "salex-chain/1";
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// The bytes hashed: a tag, then each field as <c>&lt;UTF-8 byte length&gt;:&lt;text&gt;\n</c> (a missing field
    /// is <c>-\n</c>), so no two different events can produce the same input. Order: stream, version, event id,
    /// type, timestamp (UTC, microseconds), data, headers, correlation id, causation id, user name, previous hash.
    /// </summary>
    public static string CanonicalForm(ChainedEvent e, string previousHash)
    {
        var text = new StringBuilder(e.Data.Length + 256);
        text.Append(Version1).Append('\n');
        foreach (var field in Fields(e, previousHash))
            Field(text, field);
        return text.ToString();
    }

    /// <summary>The fields of the canonical form, in their order; <see cref="CanonicalForm"/> writes them as text,
    /// <see cref="Hash"/> as UTF-8 bytes.</summary>
    private static string?[] Fields(ChainedEvent e, string previousHash) =>
        [
            e.StreamId,
            e.Version.ToString(CultureInfo.InvariantCulture),
            e.EventId.ToString("D"),
            e.Type,
            Timestamp(e.Timestamp),
            e.Data,
            e.Headers,
            e.CorrelationId,
            e.CausationId,
            e.UserName,
            previousHash,
        ];

    /// <summary>
    /// The event's hash, lower-case hex: the SHA-256 of <see cref="CanonicalForm"/>'s UTF-8 bytes, which are written
    /// straight into one pooled buffer here rather than built as text and encoded (a test holds the two equal). Every
    /// event of a verification and of a history load is hashed so: through the text, an event of 1 KB allocated about
    /// 8 KB (the builder, its string, the bytes), and the load's garbage collections took a sixth of the machine
    /// (docs/benchmarks.md).
    /// </summary>
    public static string Hash(ChainedEvent e, string previousHash)
    {
        var fields = Fields(e, previousHash);
        var room = Version1.Length + 1;
        foreach (var field in fields)
            room += Room(field);
        var buffer = ArrayPool<byte>.Shared.Rent(room);
        try
        {
            var at = Encoding.UTF8.GetBytes(Version1, buffer);
            buffer[at++] = (byte)'\n';
            foreach (var field in fields)
                at = Field(buffer, at, field);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, at), digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Bytes a field may take at most: its length prefix (an int), the separators, the value.</summary>
    private static int Room(string? value) => 12 + (value is null ? 0 : Encoding.UTF8.GetMaxByteCount(value.Length));

    /// <summary>A field as <see cref="CanonicalForm"/> writes it, in UTF-8, at <paramref name="at"/>; where it ends.</summary>
    private static int Field(byte[] buffer, int at, string? value)
    {
        if (value is null)
        {
            buffer[at++] = (byte)'-';
            buffer[at++] = (byte)'\n';
            return at;
        }
        System.Buffers.Text.Utf8Formatter.TryFormat(
            Encoding.UTF8.GetByteCount(value),
            buffer.AsSpan(at),
            out var written
        );
        at += written;
        buffer[at++] = (byte)':';
        at += Encoding.UTF8.GetBytes(value, buffer.AsSpan(at));
        buffer[at++] = (byte)'\n';
        return at;
    }

    /// <summary>
    /// PostgreSQL keeps microseconds: the timestamp in UTC to the microsecond, ISO 8601. None (a missing field) for a
    /// timestamp that is not a point in time: Marten stamps its tombstones <c>-infinity</c>, which SQL's to_char
    /// renders as null.
    /// </summary>
    public static string? Timestamp(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-\n");
            return;
        }
        text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture))
            .Append(':')
            .Append(value)
            .Append('\n');
    }
}

/// <summary>The last link of a stream's chain, as a digest input.</summary>
public sealed record StreamHead(string StreamId, long Version, string Hash);

/// <summary>
/// The daily digest: one SHA-256 over every stream's head (id, version, head hash), streams in ordinal
/// order of their id, each as the same length-prefixed fields. Publishing it elsewhere pins the whole
/// ledger: rewriting any stream's history changes its head hash, hence the digest.
/// </summary>
public static class LedgerDigest
{
    public const string Version1 = "salex-digest/1";

    public static string CanonicalForm(IEnumerable<StreamHead> heads)
    {
        var text = new StringBuilder();
        text.Append(Version1).Append('\n');
        foreach (var head in heads.OrderBy(h => h.StreamId, StringComparer.Ordinal))
        {
            Field(text, head.StreamId);
            Field(text, head.Version.ToString(CultureInfo.InvariantCulture));
            Field(text, head.Hash);
        }
        return text.ToString();
    }

    public static string Hash(IEnumerable<StreamHead> heads) => EventChain.Sha256Hex(CanonicalForm(heads));

    private static void Field(StringBuilder text, string value) =>
        text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture))
            .Append(':')
            .Append(value)
            .Append('\n');
}
