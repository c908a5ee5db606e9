using System.Text.RegularExpressions;

namespace Salex.Ledger.Banks;

/// <summary>One partner bank of the registry.</summary>
public sealed record PartnerBank(string Code, string Name, IReadOnlyList<string> Bics);

/// <summary>
/// The registry of partner banks that finance maintains (the <c>partner-banks</c> stream). A bank code is upper
/// case letters and digits, optionally with <c>-</c> or <c>_</c>, 2 to 35 characters: it names a bank in the
/// reconciliation and forms part of every payment's receipt key, so free text such as <c>../../ETC/PASSWD</c> or
/// <c>AB/CD</c> (which made the key of (<c>AB/CD</c>, <c>EF</c>) that of (<c>AB</c>, <c>CD/EF</c>)) cannot be one.
/// </summary>
public sealed partial class PartnerBanks(IReadOnlyList<PartnerBank> banks)
{
    public static PartnerBanks Empty { get; } = new([]);

    public IReadOnlyList<PartnerBank> All { get; } = banks;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{1,34}$")]
    private static partial Regex CodeShape();

    /// <summary>A code as the ledger keeps it (trimmed, upper case).</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    /// <summary>Why the text cannot be a bank code, or null.</summary>
    public static string? ShapeProblem(string? code) =>
        string.IsNullOrWhiteSpace(code) ? "The bank code is required."
        : CodeShape().IsMatch(Normalize(code)) ? null
        : "A bank code is 2 to 35 letters (A-Z), digits, '-' or '_'.";

    public PartnerBanks After(object e) => e is PartnerBankRegistered r && Find(r.Code) is null
        ? new PartnerBanks([.. All, new PartnerBank(Normalize(r.Code), r.Name, [.. r.Bics.Select(Normalize)])])
        : this;

    public static PartnerBanks Fold(IEnumerable<object> events) => events.Aggregate(Empty, (banks, e) => banks.After(e));

    /// <summary>The registered bank with this code or one of its BICs; null when there is none.</summary>
    public PartnerBank? Find(string? codeOrBic)
    {
        if (string.IsNullOrWhiteSpace(codeOrBic)) return null;
        var wanted = Normalize(codeOrBic);
        return All.FirstOrDefault(b => b.Code == wanted) ?? All.FirstOrDefault(b => b.Bics.Contains(wanted));
    }

    /// <summary>Why this code cannot bring money (malformed or not registered), or null.</summary>
    public string? Problem(string? code) => ShapeProblem(code) is { } shape ? shape
        : Find(code) is null ? $"'{Normalize(code!)}' is not a registered partner bank; finance registers banks with POST /api/banks."
        : null;

    /// <summary>The refusals of a registration.</summary>
    public IReadOnlyList<Refusal> Check(PartnerBankRegistered registration)
    {
        var refusals = new List<Refusal>();
        if (ShapeProblem(registration.Code) is { } shape) refusals.Add(Refusal.Invalid("code", shape));
        else if (Find(registration.Code) is { } existing)
            refusals.Add(Refusal.Conflict("code", $"'{existing.Code}' is already registered ({existing.Name})."));
        if (string.IsNullOrWhiteSpace(registration.Name)) refusals.Add(Refusal.Invalid("name", "The bank's name is required."));
        for (var i = 0; i < registration.Bics.Count; i++)
        {
            var bic = Normalize(registration.Bics[i]);
            if (!BicShape().IsMatch(bic))
                refusals.Add(Refusal.Invalid($"bics[{i}]", "A BIC is 8 or 11 letters and digits (ISO 9362)."));
            // A BIC names one bank: a statement naming it must not be recorded under two codes (the receipts of one
            // transaction would differ, and its money be counted twice).
            else if (Find(bic) is { } other)
                refusals.Add(Refusal.Conflict($"bics[{i}]", $"'{bic}' already names the registered bank '{other.Code}' ({other.Name})."));
            else if (registration.Bics.Take(i).Any(b => Normalize(b) == bic))
                refusals.Add(Refusal.Invalid($"bics[{i}]", $"'{bic}' is listed twice."));
        }
        return refusals;
    }

    [GeneratedRegex("^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    private static partial Regex BicShape();
}
