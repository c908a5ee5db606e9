namespace Salex.Ledger.Api.Infrastructure;

/// <summary>A configured key: its SHA-256 (hex) and its role. Keys themselves are never stored.</summary>
public sealed record ApiKeyEntry(string Name, string Role, string Sha256);
