using System.Text;

namespace Salex.Ledger.Enrolment;

/// <summary>
/// A country of residence: an ISO 3166-1 alpha-2 code. Free text let "SLV", "El Salvador", "S\u200BV" or a
/// full-width "ＳＶ" enrol a resident of El Salvador; a code from the list cannot be spelled around.
/// </summary>
public static class CountryCode
{
    public const string ElSalvador = "SV";

    // The 249 officially assigned codes, as listed by the IANA time-zone database's iso3166.tab (tzdata).
    private static readonly HashSet<string> Assigned = new(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
        BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
        FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
        IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
        ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
        PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
        TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
        """.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal
    );

    /// <summary>The code as stored (upper case), or null when the text is not an assigned code.</summary>
    public static string? Parse(string? text)
    {
        var code = text?.Trim().ToUpperInvariant();
        return code is { Length: 2 } && Assigned.Contains(code) ? code : null;
    }

    /// <summary>Why the text cannot be a SALEX country of residence, or null when it can.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "The country of residence is required.";
        var code = Parse(text);
        if (code == ElSalvador || MeansElSalvador(text))
            return "SALEX is for Salvadorans residing abroad; the country of residence cannot be El Salvador.";
        return code is null
            ? $"'{Shown(text)}' is not an ISO 3166-1 alpha-2 country code (two letters, such as US, ES, IT)."
            : null;
    }

    /// <summary>Compatibility forms and invisible characters folded away, for a clearer refusal.</summary>
    private static bool MeansElSalvador(string text)
    {
        var folded = new string(
            text.Normalize(NormalizationForm.FormKC).Where(c => char.IsLetter(c)).ToArray()
        ).ToUpperInvariant();
        return folded is "SV" or "SLV" or "ELSALVADOR";
    }

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
