using System.Text.RegularExpressions;

namespace Salex.Ledger.Enrolment;

/// <summary>
/// The Documento Único de Identidad: <c>########-#</c>, eight digits, a dash and a check digit
/// (weights 9..2 on the eight digits, check = (10 − sum mod 10) mod 10).
/// </summary>
public static partial class Dui
{
    [GeneratedRegex(@"^[0-9]{8}-[0-9]\z")] // ASCII digits only; \z, since $ would also match before a final newline
    private static partial Regex Shape();

    public static bool HasValidShape(string? dui) => dui is not null && Shape().IsMatch(dui);

    public static int CheckDigit(string eightDigits)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++) sum += (eightDigits[i] - '0') * (9 - i);
        return (10 - sum % 10) % 10;
    }

    /// <summary>Null when valid, otherwise the reason.</summary>
    public static string? Problem(string? dui)
    {
        if (string.IsNullOrWhiteSpace(dui)) return "The DUI is required.";
        if (!HasValidShape(dui)) return "The DUI must have the form ########-# (8 digits, a dash, a check digit).";
        return CheckDigit(dui) == dui[9] - '0' ? null : "The DUI's check digit does not match its digits.";
    }
}

/// <summary>
/// The SALEX affiliation number: a sequence number of eight digits followed by a Luhn check digit
/// (sequence 10000001 gives 100000017), so that a mistyped number is caught before any lookup.
/// </summary>
public static class AffiliationNumber
{
    public static string FromSequence(long sequence)
    {
        var payload = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return payload + LuhnCheckDigit(payload);
    }

    public static bool IsWellFormed(string? number) =>
        number is { Length: >= 2 } && number.All(char.IsAsciiDigit) && LuhnCheckDigit(number[..^1]) == number[^1] - '0';

    public static int LuhnCheckDigit(string payload)
    {
        var sum = 0;
        var doubleIt = true; // the digit next to the check digit is doubled
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubleIt) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }
}
