using System.Security.Cryptography;
using System.Text;
using Salex.Projections.RightsChanges;

namespace Salex.Ledger.Api.Features.Webhooks;

/// <summary>
/// The signature of a delivery: <c>sha256=</c> and the lower-case hex of HMAC-SHA256, keyed with the subscriber's
/// secret (its UTF-8 bytes), of the timestamp header's text, a full stop, and the body's bytes exactly as sent.
/// The timestamp is signed so that a captured delivery cannot be replayed later under a fresh timestamp.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Salex-Signature";
    public const string TimestampHeader = "X-Salex-Timestamp";
    public const string MessageIdHeader = "X-Salex-Message-Id";
    public const string AttemptHeader = "X-Salex-Delivery-Attempt";

    public static string Of(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed.AsSpan(written + 1));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: compare in constant time.</summary>
    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Of(secret, timestamp, body)),
            Encoding.ASCII.GetBytes(signature)
        );
}
