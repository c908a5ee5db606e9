using System.Security.Cryptography;
using System.Text;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The keys the service accepts. From configuration (<c>Auth:ApiKeys</c>, hashed); in Development
/// only, also the well-known keys <c>dev-enrolment</c>, <c>dev-finance</c>, <c>dev-auditor</c>,
/// <c>dev-rights-reader</c>, <c>dev-admin</c> and <c>dev-policy-admin</c>.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<(byte[] Hash, ApiKeyEntry Entry)> _keys;

    public ApiKeyRegistry(IEnumerable<ApiKeyEntry> entries)
    {
        _keys = entries
            .Where(e => Roles.All.Contains(e.Role) && !string.IsNullOrWhiteSpace(e.Sha256))
            .Select(e => (Convert.FromHexString(e.Sha256.Trim()), e))
            .ToArray();
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static ApiKeyRegistry From(Settings.AuthSettings settings, bool isDevelopment)
    {
        var entries = settings.ApiKeys.ToList();
        if (isDevelopment)
            entries.AddRange(Roles.All.Select(role => new ApiKeyEntry($"dev-{role}", role, HashOf($"dev-{role}"))));
        return new ApiKeyRegistry(entries);
    }

    /// <summary>Whether a key of this name and role is still configured (the console's sessions are checked against
    /// it on every request, so a key removed from the configuration ends its sessions at the next start).</summary>
    public bool Holds(string name, string role) => _keys.Any(k => k.Entry.Name == name && k.Entry.Role == role);

    public ApiKeyEntry? Find(string presentedKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        foreach (var (known, entry) in _keys)
            if (CryptographicOperations.FixedTimeEquals(known, hash))
                return entry;
        return null;
    }
}
