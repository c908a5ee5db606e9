using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Salex.Ledger.Integrity;

/// <summary>
/// Signs a ledger digest with an ECDSA P-256 key that the database does not hold (SHA-256, DER signature), so
/// someone who can write the database cannot make a digest of a rewritten history that still verifies. The
/// signed text is <see cref="SignedText"/>; the public key (PEM) checks it anywhere, e.g. with
/// <c>openssl dgst -sha256 -verify public.pem -signature digest.sig digest.txt</c>.
/// </summary>
public sealed class DigestSignature
{
    public const string Version1 = "salex-digest-signature/1";

    private readonly ECDsa? _signingKey;
    private readonly ECDsa _publicKey;

    private DigestSignature(ECDsa? signingKey, ECDsa publicKey)
    {
        _signingKey = signingKey;
        _publicKey = publicKey;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(publicKey.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the public key: which key signed a digest.</summary>
    public string KeyId { get; }

    public bool CanSign => _signingKey is not null;

    public string PublicKeyPem => _publicKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>From a PKCS#8 private key (PEM), which also gives the public key.</summary>
    public static DigestSignature FromPrivateKeyPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
            throw new ArgumentException("The digest signing key must be an ECDSA P-256 key.");
        var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return new DigestSignature(key, publicKey);
    }

    /// <summary>Only the public key (PEM): verifies, cannot sign.</summary>
    public static DigestSignature FromPublicKeyPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new DigestSignature(null, key);
    }

    /// <summary>What is signed: every field of the digest, one per line, after a version tag.</summary>
    public static string SignedText(LedgerDigestRecorded d) =>
        string.Join(
            '\n',
            Version1,
            d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            AtText(d.At),
            d.Digest,
            d.Streams.ToString(CultureInfo.InvariantCulture),
            d.Events.ToString(CultureInfo.InvariantCulture),
            d.UpToSequence.ToString(CultureInfo.InvariantCulture)
        ) + "\n";

    /// <summary>The instant as signed: UTC, to the microsecond (what PostgreSQL and every reader keep).</summary>
    public static string AtText(NodaTime.Instant at) =>
        at.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The DER signature of the digest, base64.</summary>
    public string Sign(LedgerDigestRecorded digest)
    {
        if (_signingKey is null)
            throw new InvalidOperationException("No signing key is configured, only a public key.");
        return Convert.ToBase64String(
            _signingKey.SignData(
                Encoding.UTF8.GetBytes(SignedText(digest)),
                HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence
            )
        );
    }

    public bool Verifies(LedgerDigestRecorded digest)
    {
        if (digest.Signature is null)
            return false;
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(digest.Signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return _publicKey.VerifyData(
            Encoding.UTF8.GetBytes(SignedText(digest)),
            signature,
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence
        );
    }
}
