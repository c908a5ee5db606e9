using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// The reference under which a bank transaction is recorded (its receipt key is the bank code and this reference).
/// A CSV line's is its <c>transactionId</c> (SPEC §5). A camt.053 transaction's is built from the statement, so that
/// two different transactions never share one and the same transaction always gets the same:
/// the entry's references (<c>NtryRef</c> and <c>AcctSvcrRef</c>, both when both are given, since banks reuse one of
/// them), the transaction's own reference within a batch entry (<c>Refs/AcctSvcrRef</c>, <c>EndToEndId</c>,
/// <c>TxId</c>, <c>InstrId</c>, <c>UETR</c>, <c>Prtry/Ref</c>, else its position in the entry), the amount, and the
/// statement account: <c>000912345/58.72/SV43AGRI0000000001234567</c>; <c>BATCH-9/E2E-1/60.00/SV43…</c>. A text
/// longer than <see cref="Limits.Reference"/> keeps its first characters and ends in a hash of the whole
/// (<c>…~3f9a0c12de</c>).
/// </summary>
public static class TransactionKey
{
    private const int HashDigits = 10;

    /// <summary>The reference of a camt.053 transaction from its parts (blank and repeated parts left out).</summary>
    public static string Of(IEnumerable<string?> references, decimal amount, string? account)
    {
        var parts = references
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => r!.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        parts.Add(amount.ToString("0.00", CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(account))
            parts.Add(account.Trim());
        return Bounded(string.Join('/', parts));
    }

    /// <summary>
    /// The reference of a transaction whose key is already in the ledger with other facts: the key with a hash of
    /// this transaction's facts, so the conflicting transaction has a receipt of its own, and the same conflicting
    /// transaction in another file is again the same (a duplicate).
    /// </summary>
    public static string Conflicting(string reference, TransactionFacts facts) =>
        $"{Cut(reference, Limits.Reference - HashDigits - 1)}#{Hash(facts.ToString())}";

    private static string Bounded(string text) =>
        text.Length <= Limits.Reference ? text : $"{Cut(text, Limits.Reference - HashDigits - 1)}~{Hash(text)}";

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashDigits];
}
