using Marten;
using Npgsql;
using Salex.Ledger.Integrity;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// Checks the database against the latest digest archived outside it (or a digest file an auditor kept): its
/// signature, its heads against its digest, every stream's recorded hash at the signed head version (a cut tail
/// or a recomputed chain changes or removes it), and that the digest stream still holds that digest (it was not
/// deleted). Also checks the signature of every digest the database holds. What was appended after the latest
/// digest is covered only by the hash chain, which a database writer could recompute.
/// </summary>
public sealed class DigestVerifier(IDocumentStore store, DigestArchive archive)
{
    public async Task<DigestVerification> VerifyAsync(ArchivedDigest? against, CancellationToken ct)
    {
        var problems = new List<string>();
        await using var session = store.QuerySession();
        var recorded = (await session.Events.FetchStreamAsync(LedgerDigests.StreamId, token: ct))
            .Where(e => e.Data is LedgerDigestRecorded)
            .Select(e => (e.Version, Digest: (LedgerDigestRecorded)e.Data))
            .ToList();
        var signature = archive.Signature;
        var unsigned = 0;
        foreach (var (version, digest) in recorded)
        {
            if (digest.Signature is null)
            {
                unsigned++;
                continue;
            }
            if (signature is null)
                continue;
            if (digest.KeyId != signature.KeyId)
                problems.Add(
                    $"digest v{version} of {digest.Date}: signed by key {digest.KeyId}, not the configured {signature.KeyId}"
                );
            else if (!signature.Verifies(digest))
                problems.Add(
                    $"digest v{version} of {digest.Date}: its signature does not verify (the digest was changed or forged)"
                );
        }

        try
        {
            against ??= await archive.LatestAsync(ct);
        }
        catch (InvalidDataException e)
        {
            problems.Add(e.Message);
            return new DigestVerification(null, recorded.Count, unsigned, problems);
        }
        if (against is null)
        {
            // An archive that should hold the signed digests the database records, yet holds none (a wrong folder,
            // its files removed): the heads were not checked, which must not pass for a verification.
            if (archive.Folder is { } folder && recorded.Count > unsigned)
                problems.Add(
                    $"{recorded.Count - unsigned} signed digest(s) are recorded but the archive {folder} holds none: "
                        + "the streams' heads could not be checked against a digest kept outside the database "
                        + "(check Ledger:DigestArchive, or give a digest file with --digest)"
                );
            return new DigestVerification(null, recorded.Count, unsigned, problems);
        }

        if (against.ToRecorded() is not { } signed)
        {
            problems.Add($"archived digest v{against.Version}: its date or instant cannot be read");
            return new DigestVerification(against, recorded.Count, unsigned, problems);
        }
        var checker = signature ?? (against.PublicKey is { } pem ? DigestSignature.FromPublicKeyPem(pem) : null);
        if (signed.Signature is null)
            problems.Add($"archived digest v{against.Version} of {against.Date} is not signed");
        else if (checker is null)
            problems.Add("no public key is configured to check the archived digest's signature");
        else if (
            signature is not null
            && against.PublicKey is { } archivedKey
            && archivedKey.Trim() != signature.PublicKeyPem.Trim()
        )
            problems.Add($"archived digest v{against.Version} carries another public key than the configured one");
        else if (!checker.Verifies(signed))
            problems.Add($"archived digest v{against.Version} of {against.Date}: its signature does not verify");
        if (LedgerDigest.Hash(against.Heads) != signed.Digest)
            problems.Add($"archived digest v{against.Version} of {against.Date}: its heads do not hash to its digest");

        if (!recorded.Any(r => r.Version == against.Version && r.Digest.Digest == signed.Digest))
            problems.Add(
                $"the {LedgerDigests.StreamId} stream no longer holds digest v{against.Version} of {against.Date} "
                    + $"({Short(signed.Digest)}): it was deleted or rewritten"
            );

        var stored = await StoredHashesAsync(against.Heads, ct);
        foreach (var head in against.Heads)
        {
            if (!stored.TryGetValue((head.StreamId, head.Version), out var hash))
                problems.Add(
                    $"stream {head.StreamId}: version {head.Version}, signed in the digest of {against.Date}, is gone "
                        + "(events were removed)"
                );
            else if (hash != head.Hash)
                problems.Add(
                    $"stream {head.StreamId}: version {head.Version} has hash {Short(hash)}, the digest of {against.Date} "
                        + $"signed {Short(head.Hash)} (history up to it was rewritten)"
                );
        }
        return new DigestVerification(against, recorded.Count, unsigned, problems);
    }

    /// <summary>A hash as shown in a finding: its first 16 hex digits (a damaged file's may be shorter).</summary>
    private static string Short(string? hash) =>
        hash is null ? "-"
        : hash.Length > 16 ? hash[..16] + "…"
        : hash;

    /// <summary>The hash recorded now for each signed head, where the event still exists.</summary>
    private async Task<Dictionary<(string, long), string>> StoredHashesAsync(
        IReadOnlyList<StreamHead> heads,
        CancellationToken ct
    )
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select h.stream_id, h.version, h.hash
            from unnest(@ids, @versions) as signed(stream_id, version)
            join {schema}.{EventChainSchema.HashesTable} h on h.stream_id = signed.stream_id and h.version = signed.version
            join {schema}.mt_events e on e.stream_id = signed.stream_id and e.version = signed.version
            """,
            connection
        );
        command.Parameters.AddWithValue("ids", heads.Select(h => h.StreamId).ToArray());
        command.Parameters.AddWithValue("versions", heads.Select(h => h.Version).ToArray());
        var hashes = new Dictionary<(string, long), string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            hashes[(reader.GetString(0), reader.GetInt64(1))] = reader.GetString(2);
        return hashes;
    }
}
