namespace Salex.Ledger.BankFiles;

/// <summary>A line whose money could not be read (a malformed line): its number, and the reason with its raw
/// text.</summary>
public sealed record UnreadLine(int Line, string Reason);
