namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>What checking the ledger against its signed digests found; <see cref="Problems"/> empty when it
/// holds.</summary>
public sealed record DigestVerification(
    ArchivedDigest? CheckedAgainst,
    int DigestsRecorded,
    int Unsigned,
    IReadOnlyList<string> Problems
)
{
    public bool Holds => Problems.Count == 0;
}
