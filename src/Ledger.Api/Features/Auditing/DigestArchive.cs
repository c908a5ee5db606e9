using System.Text.Json;
using Microsoft.Extensions.Options;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// The signing key and the folder where each digest is also written, outside the database (settings
/// <c>Ledger:DigestSigningKey</c>, <c>Ledger:DigestPublicKey</c>, <c>Ledger:DigestArchive</c>). A database
/// writer who deletes the digest stream or rewrites history cannot reach either.
/// </summary>
public sealed class DigestArchive
{
    private const string Prefix = "ledger-digest-";

    public DigestArchive(IOptions<LedgerSettings> options, IHostEnvironment environment)
    {
        var settings = options.Value;
        var signingKey = settings.DigestSigningKey;
        var publicKey = settings.DigestPublicKey;
        Signature =
            !string.IsNullOrWhiteSpace(signingKey) ? DigestSignature.FromPrivateKeyPem(signingKey)
            : !string.IsNullOrWhiteSpace(publicKey) ? DigestSignature.FromPublicKeyPem(publicKey)
            : null;
        Folder = settings.DigestArchiveFolder(environment);
    }

    /// <summary>Null when no key is configured: digests are then recorded unsigned (a warning at start says
    /// so).</summary>
    public DigestSignature? Signature { get; }

    /// <summary>Null when no archive folder is configured.</summary>
    public string? Folder { get; }

    public async Task WriteAsync(ArchivedDigest digest, CancellationToken ct)
    {
        if (Folder is null)
            return;
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Prefix}{digest.Version:D8}.json");
        // Written whole to a temporary name, then renamed: a reader never sees half a file.
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
            await JsonSerializer.SerializeAsync(file, digest, LedgerJson.Options, ct);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The archived digest with the highest version, or null.</summary>
    public async Task<ArchivedDigest?> LatestAsync(CancellationToken ct)
    {
        if (Folder is null || !Directory.Exists(Folder))
            return null;
        var latest = Directory.EnumerateFiles(Folder, $"{Prefix}*.json").Order(StringComparer.Ordinal).LastOrDefault();
        return latest is null ? null : await ReadAsync(latest, ct);
    }

    public async Task<ArchivedDigest?> OfVersionAsync(long version, CancellationToken ct)
    {
        var path = Folder is null ? null : Path.Combine(Folder, $"{Prefix}{version:D8}.json");
        return path is not null && File.Exists(path) ? await ReadAsync(path, ct) : null;
    }

    /// <summary>The digest in that file; <see cref="InvalidDataException"/> naming the file when it holds
    /// none.</summary>
    public static async Task<ArchivedDigest> ReadAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        ArchivedDigest? digest;
        try
        {
            digest = await JsonSerializer.DeserializeAsync<ArchivedDigest>(file, LedgerJson.Options, ct);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the digest file {path} cannot be read: {e.Message}", e);
        }
        // JSON that is not a whole digest (null, {}) must not pass for "no digest to check against".
        return
            digest is { Digest: not null, Date: not null, At: not null, SignedText: not null, Heads: not null }
            && digest.Heads.All(h => h is { StreamId: not null, Hash: not null })
            ? digest
            : throw new InvalidDataException($"the digest file {path} does not hold a digest with its heads");
    }
}
