using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Banks;

/// <summary>
/// The bank of a camt.053 statement, found in the registry that finance maintains, in this order: the statement's
/// account (<c>Acct/Id</c>: IBAN or other id) registered to a bank; the servicer's own id
/// (<c>Svcr/FinInstnId/Othr/Id</c>)
/// as a registered code, unless its issuer or scheme says it is a tax id (<c>UmsStId</c>, <c>VAT-ID</c>, <c>TXID</c>,
/// ...: a VAT number is never a bank code); the servicer's BIC. When none is registered but the statement names a
/// bank (a BIC, or an id shaped like a code), <see cref="Code"/> is that name: the importer refuses the file naming it,
/// so that finance registers the bank and imports it again. When it names none (no servicer, a name only, a tax id
/// only), the code is <see cref="PartnerBanks.Unidentified"/> and its money is held in suspense (<see cref="Hold"/>).
/// </summary>
public sealed record StatementBank(string Code, LineOutcome? Hold, string? HoldReason)
{
    // Issuers and schemes of tax identifiers seen on servicers: German Umsatzsteuer-Id, VAT, Swiss MWST/UID, ISO's
    // TXID.
    private static readonly string[] TaxMarkers =
    [
        "UMSSTID",
        "USTID",
        "USTIDNR",
        "VAT",
        "VATID",
        "TXID",
        "TAX",
        "TAXID",
        "MWST",
        "UID",
        "TVA",
        "IVA",
        "NIF",
        "NIT",
        "BTW",
    ];

    /// <summary>Whether an id's issuer or scheme name marks it as a tax id (compared on its letters only, in any
    /// case).</summary>
    public static bool IsTaxId(string? issuerOrScheme) =>
        issuerOrScheme is not null
        && TaxMarkers.Contains(string.Concat(issuerOrScheme.Where(char.IsAsciiLetter)).ToUpperInvariant());

    private const string NoIdentifiers = "no account, no servicer";

    /// <param name="banks">The registry; null reads the statement as it names itself (servicer code, else BIC).</param>
    /// <param name="account">The statement account's IBAN or other id.</param>
    /// <param name="bic">The servicer's BIC (<c>BICFI</c> or <c>BIC</c>).</param>
    /// <param name="ids">The servicer's other ids with their issuer or scheme.</param>
    /// <param name="name">The servicer's name, only to say which bank was not identified.</param>
    public static StatementBank Identify(
        PartnerBanks? banks,
        string? account,
        string? bic,
        IReadOnlyList<(string Id, string? Issuer)> ids,
        string? name
    )
    {
        var codes = ids.Where(i => !IsTaxId(i.Issuer) && PartnerBanks.ShapeProblem(i.Id) is null)
            .Select(i => PartnerBanks.Normalize(i.Id))
            .ToList();
        var bicCode = string.IsNullOrWhiteSpace(bic) ? null : PartnerBanks.Normalize(bic);
        if (banks is not null)
        {
            var found =
                banks.FindAccount(account)
                ?? codes.Select(banks.Find).FirstOrDefault(b => b is not null)
                ?? banks.Find(bicCode);
            if (found is not null)
                return new(found.Code, null, null);
        }
        if ((codes.FirstOrDefault() ?? bicCode) is { } named)
            return new(named, null, null);
        var which = string.Join(
            ", ",
            new[]
            {
                account is null ? null : $"account {Limits.Printable(account, Limits.Code)}",
                name is null ? null : $"servicer '{Limits.Printable(name, Limits.Name)}'",
            }.Where(w => w is not null)
        );
        return new(
            PartnerBanks.Unidentified,
            LineOutcome.UnknownBank,
            $"No registered bank could be identified for the statement ({(which.Length > 0 ? which : NoIdentifiers)}); "
                + "held in suspense. Finance registers the account with POST /api/banks/{code}/accounts."
        );
    }
}
