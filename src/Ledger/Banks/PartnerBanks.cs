using System.Text.RegularExpressions;

namespace Salex.Ledger.Banks;

/// <summary>One partner bank of the registry.</summary>
public sealed record PartnerBank(
    string Code,
    string Name,
    IReadOnlyList<string> Bics,
    IReadOnlyList<string>? Accounts = null
)
{
    public IReadOnlyList<string> AccountIds => Accounts ?? [];
}

/// <summary>
/// The registry of partner banks that finance maintains (the <c>partner-banks</c> stream). A bank code is upper
/// case letters and digits, optionally with <c>-</c> or <c>_</c>, 2 to 35 characters: it names a bank in the
/// reconciliation and forms part of every payment's receipt key, so free text such as <c>../../ETC/PASSWD</c> or
/// <c>AB/CD</c> (which made the key of (<c>AB/CD</c>, <c>EF</c>) that of (<c>AB</c>, <c>CD/EF</c>)) cannot be one.
/// </summary>
public sealed partial class PartnerBanks(IReadOnlyList<PartnerBank> banks)
{
    public static PartnerBanks Empty { get; } = new([]);

    /// <summary>
    /// The code a statement's money is recorded under when no registered bank can be found in it (no servicer, a
    /// servicer known only by name or tax id, an account nobody registered). Not a code's shape, so no bank can be
    /// registered under it; the money is held in suspense (<c>UnknownBank</c>).
    /// </summary>
    public const string Unidentified = "(UNIDENTIFIED)";

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

    /// <summary>An account id as the registry keeps it: upper case, without blanks (an IBAN is often written in groups
    /// of four).</summary>
    public static string NormalizeAccount(string account) =>
        string.Concat(account.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    public PartnerBanks After(object e) =>
        e switch
        {
            PartnerBankRegistered r when Find(r.Code) is null => new PartnerBanks([
                .. All,
                new PartnerBank(
                    Normalize(r.Code),
                    r.Name,
                    [.. r.Bics.Select(Normalize)],
                    [.. (r.Accounts ?? []).Select(NormalizeAccount)]
                ),
            ]),
            PartnerBankAccountAdded a when Find(a.Code) is { } bank && FindAccount(a.Account) is null =>
                new PartnerBanks([
                    .. All.Select(b =>
                        b == bank ? b with { Accounts = [.. b.AccountIds, NormalizeAccount(a.Account)] } : b
                    ),
                ]),
            _ => this,
        };

    /// <summary>The registered bank that holds this account (IBAN or the bank's own id); null when there is
    /// none.</summary>
    public PartnerBank? FindAccount(string? account)
    {
        if (string.IsNullOrWhiteSpace(account))
            return null;
        var wanted = NormalizeAccount(account);
        return All.FirstOrDefault(b => b.AccountIds.Contains(wanted));
    }

    /// <summary>The refusals of adding an account to a bank: an account names one bank.</summary>
    public IReadOnlyList<Refusal> Check(PartnerBankAccountAdded added)
    {
        if (Find(added.Code) is null)
            return
            [
                new Refusal(
                    RefusalKind.NotFound,
                    "code",
                    $"'{Normalize(added.Code)}' is not a registered partner bank."
                ),
            ];
        if (AccountProblem(added.Account) is { } problem)
            return [Refusal.Invalid("account", problem)];
        return FindAccount(added.Account) is { } holder
            ?
            [
                Refusal.Conflict(
                    "account",
                    $"'{NormalizeAccount(added.Account)}' is already an account of '{holder.Code}' ({holder.Name})."
                ),
            ]
            : [];
    }

    /// <summary>Why the text cannot be an account id (ISO 20022: an IBAN, or another id of at most 34 characters), or
    /// null.</summary>
    public static string? AccountProblem(string? account) =>
        string.IsNullOrWhiteSpace(account) ? "The account is required."
        : AccountShape().IsMatch(NormalizeAccount(account)) ? null
        : "An account is an IBAN or the bank's account id: 4 to 34 letters, digits, '-', '.' or '/'.";

    [GeneratedRegex("^[A-Z0-9][A-Z0-9./-]{3,33}$")]
    private static partial Regex AccountShape();

    public static PartnerBanks Fold(IEnumerable<object> events) =>
        events.Aggregate(Empty, (banks, e) => banks.After(e));

    /// <summary>The registered bank with this code or one of its BICs; null when there is none.</summary>
    public PartnerBank? Find(string? codeOrBic)
    {
        if (string.IsNullOrWhiteSpace(codeOrBic))
            return null;
        var wanted = Normalize(codeOrBic);
        return All.FirstOrDefault(b => b.Code == wanted) ?? All.FirstOrDefault(b => b.Bics.Contains(wanted));
    }

    /// <summary>Why this code cannot bring money (malformed or not registered), or null.</summary>
    public string? Problem(string? code) =>
        ShapeProblem(code) is { } shape ? shape
        : Find(code) is null
            ? $"'{Normalize(code!)}' is not a registered partner bank; finance registers banks with POST /api/banks."
        : null;

    /// <summary>The refusals of a registration.</summary>
    public IReadOnlyList<Refusal> Check(PartnerBankRegistered registration)
    {
        var refusals = new List<Refusal>();
        if (ShapeProblem(registration.Code) is { } shape)
            refusals.Add(Refusal.Invalid("code", shape));
        else if (Find(registration.Code) is { } existing)
            refusals.Add(Refusal.Conflict("code", $"'{existing.Code}' is already registered ({existing.Name})."));
        if (string.IsNullOrWhiteSpace(registration.Name))
            refusals.Add(Refusal.Invalid("name", "The bank's name is required."));
        // The configuration reaches here without the HTTP edge's guard: PostgreSQL's JSON cannot hold a NUL.
        else if (registration.Name.Any(char.IsControl))
            refusals.Add(Refusal.Invalid("name", "The bank's name contains a control character."));
        for (var i = 0; i < registration.Bics.Count; i++)
        {
            var bic = Normalize(registration.Bics[i]);
            if (!BicShape().IsMatch(bic))
                refusals.Add(Refusal.Invalid($"bics[{i}]", "A BIC is 8 or 11 letters and digits (ISO 9362)."));
            // A BIC names one bank: a statement naming it must not be recorded under two codes (the receipts of one
            // transaction would differ, and its money be counted twice).
            else if (Find(bic) is { } other)
                refusals.Add(
                    Refusal.Conflict(
                        $"bics[{i}]",
                        $"'{bic}' already names the registered bank '{other.Code}' ({other.Name})."
                    )
                );
            else if (registration.Bics.Take(i).Any(b => Normalize(b) == bic))
                refusals.Add(Refusal.Invalid($"bics[{i}]", $"'{bic}' is listed twice."));
        }
        var accounts = registration.Accounts ?? [];
        for (var i = 0; i < accounts.Count; i++)
        {
            if (AccountProblem(accounts[i]) is { } problem)
                refusals.Add(Refusal.Invalid($"accounts[{i}]", problem));
            else if (FindAccount(accounts[i]) is { } holder)
                refusals.Add(
                    Refusal.Conflict(
                        $"accounts[{i}]",
                        $"'{NormalizeAccount(accounts[i])}' is already an account of '{holder.Code}'."
                    )
                );
            else if (accounts.Take(i).Any(a => NormalizeAccount(a) == NormalizeAccount(accounts[i])))
                refusals.Add(Refusal.Invalid($"accounts[{i}]", "The account is listed twice."));
        }
        return refusals;
    }

    [GeneratedRegex("^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    private static partial Regex BicShape();
}
