namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>The API keys the service accepts (section <c>Auth</c>), each by its SHA-256; validated at start.</summary>
public sealed class AuthSettings : ICheckedSettings
{
    public const string Section = "Auth";

    public ApiKeyEntry[] ApiKeys { get; set; } = [];

    /// <summary>What is wrong with these settings, each naming its setting; nothing when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (key, i) in ApiKeys.Select((k, i) => (k, i)))
        {
            if (string.IsNullOrWhiteSpace(key.Name))
                yield return $"Auth:ApiKeys:{i}:name is required.";
            // The name is recorded as who recorded each event: JSON in PostgreSQL, which cannot hold a NUL.
            else if (key.Name.Any(char.IsControl))
                yield return $"Auth:ApiKeys:{i}:name contains a control character.";
            if (!Roles.All.Contains(key.Role))
                yield return $"Auth:ApiKeys:{i}:role '{key.Role}' is not a role ({string.Join(", ", Roles.All)}).";
            if (key.Sha256 is not { Length: 64 } hash || !hash.All(Uri.IsHexDigit))
                yield return $"Auth:ApiKeys:{i}:sha256 is not the 64 hexadecimal digits of a SHA-256.";
        }
        foreach (var name in ApiKeys.GroupBy(k => k.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            yield return $"Auth:ApiKeys: the name '{name}' is used by more than one key.";
        // One key, one role: otherwise the first entry's would win without a word.
        if (ApiKeys.GroupBy(k => k.Sha256, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            yield return "Auth:ApiKeys: two entries have the same sha256 (one key, two entries).";
    }
}
