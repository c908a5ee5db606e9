namespace Salex.Ledger.Enrolment;

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
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }
}
