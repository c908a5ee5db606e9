namespace Salex.Ledger.Api.Infrastructure;

/// <summary>A configured key: its SHA-256 (hex) and its role. Keys themselves are never stored.</summary>
public sealed record ApiKeyEntry(string Name, string Role, string Sha256)
{
    /// <summary>For the configuration binder: with only the positional constructor it dropped an entry missing a name
    /// or a role without a word, where the start-up check names what is missing.</summary>
    public ApiKeyEntry()
        : this("", "", "") { }
}
