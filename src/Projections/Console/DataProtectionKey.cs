namespace Salex.Projections.Console;

/// <summary>
/// One key of ASP.NET Core's data-protection key ring (the XML element it writes), kept in the ledger's database so
/// that every node of a cluster reads and signs the console's session cookies and antiforgery tokens with the same
/// keys: a session opened through one node is valid on the others.
/// </summary>
public sealed record DataProtectionKey(string Id, string Xml);
