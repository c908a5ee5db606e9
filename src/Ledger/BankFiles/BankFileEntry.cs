namespace Salex.Ledger.BankFiles;

/// <summary>The formats a bank file may come in.</summary>
public enum BankFileFormat
{
    Csv,
    Camt053,
}

/// <summary>
/// One payment of a bank file, read: either the payment or why it cannot be read. <see cref="Number"/> is
/// the line of a CSV file (the header is line 1) or the ordinal of a camt.053 payment; it only grows, so an
/// import that stopped half-way resumes after the last number it recorded.
/// </summary>
public sealed record BankFileEntry(int Number, BankFileLine? Line, MalformedLine? Malformed)
{
    public static BankFileEntry Of(int number, (BankFileLine? Line, MalformedLine? Malformed) parsed) =>
        new(number, parsed.Line, parsed.Malformed);
}

/// <summary>Why a whole file was refused before any of its lines was recorded.</summary>
public sealed class BankFileRefused(string reason) : Exception(reason);
