using Salex.Ledger.Banks;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// The first reading of a bank file, before anything is recorded: the banks it names that the registry does not know
/// (the file is then refused whole), each camt.053 statement checked against its own totals, and the order in which
/// its payments will be applied. Pure: it reads the entries it is given, with the statements' checks they report.
/// </summary>
public sealed class BankFileScan
{
    /// <summary>How many unknown bank codes a refusal names.</summary>
    public const int UnknownBanksNamed = 5;

    public IReadOnlyList<string> UnknownBanks { get; private init; } = [];

    public IReadOnlyList<StatementCheck> Statements { get; private init; } = [];

    public BookingOrder Order { get; private init; } = new();

    /// <param name="read">Reads the file's entries, reporting each statement's check to the action it is given.</param>
    /// <param name="banks">The registry.</param>
    public static BankFileScan Of(Func<Action<StatementCheck>, IEnumerable<BankFileEntry>> read, PartnerBanks banks)
    {
        var statements = new List<StatementCheck>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var order = new BookingOrder();
        foreach (var entry in read(statements.Add))
        {
            order.Note(entry);
            if (
                entry.Line is { } line
                && line.BankCode != PartnerBanks.Unidentified
                && banks.Find(line.BankCode) is null
                && unknown.Count < UnknownBanksNamed
            )
                unknown.Add($"'{Limits.Printable(line.BankCode, Limits.Code)}'");
        }
        return new BankFileScan
        {
            UnknownBanks = [.. unknown],
            Statements = statements,
            Order = order,
        };
    }
}
