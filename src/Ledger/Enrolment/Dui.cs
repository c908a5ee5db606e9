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
        for (var i = 0; i < 8; i++)
            sum += (eightDigits[i] - '0') * (9 - i);
        return (10 - sum % 10) % 10;
    }

    /// <summary>Null when valid, otherwise the reason.</summary>
    public static string? Problem(string? dui)
    {
        if (string.IsNullOrWhiteSpace(dui))
            return "The DUI is required.";
        if (!HasValidShape(dui))
            return "The DUI must have the form ########-# (8 digits, a dash, a check digit).";
        return CheckDigit(dui) == dui[9] - '0' ? null : "The DUI's check digit does not match its digits.";
    }
}
