using Salex.Ledger.Enrolment;
using Shouldly;
using Xunit;

namespace Salex.Ledger.Tests;

public class DuiTests
{
    [Theory]
    // 0·9+4·8+5·7+6·6+7·5+8·4+9·3+0·2 = 197 → (10 − 7) mod 10 = 3
    [InlineData("04567890", 3)]
    // 1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2 = 156 → (10 − 6) mod 10 = 4
    [InlineData("12345678", 4)]
    // sum 0 → (10 − 0) mod 10 = 0
    [InlineData("00000000", 0)]
    // only the last digit, weight 2: 2 → 8
    [InlineData("00000001", 8)]
    // only the first digit, weight 9: 9 → 1
    [InlineData("10000000", 1)]
    public void dui_check_digit_uses_weights_nine_to_two(string digits, int expected) =>
        Dui.CheckDigit(digits).ShouldBe(expected);

    [Theory]
    [InlineData("04567890-3")]
    [InlineData("12345678-4")]
    [InlineData("00000000-0")]
    [InlineData("00000001-8")]
    [InlineData("10000000-1")]
    public void a_dui_with_the_right_check_digit_is_valid(string dui) =>
        Dui.Problem(dui).ShouldBeNull();

    [Theory]
    [InlineData("04567890-4")]
    [InlineData("12345678-5")]
    [InlineData("00000001-2")] // weights reversed (2..9) would give 2
    [InlineData("10000000-9")]
    public void a_dui_with_a_wrong_check_digit_is_refused(string dui) =>
        Dui.Problem(dui).ShouldNotBeNull();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("045678903")]
    [InlineData("0456789-03")]
    [InlineData("04567890-")]
    [InlineData("4567890-3")]
    [InlineData("004567890-3")]
    [InlineData("0456789O-3")]
    [InlineData(" 04567890-3")]
    [InlineData("04567890-3 ")]
    [InlineData("04567890-3\n")]
    [InlineData("٠٤٥٦٧٨٩٠-٣")] // Arabic-Indic digits are not the DUI's digits
    public void a_dui_without_the_shape_eight_digits_dash_digit_is_refused(string? dui)
    {
        Dui.HasValidShape(dui).ShouldBeFalse();
        Dui.Problem(dui).ShouldNotBeNull();
    }

    [Theory]
    // payload 10000001, from the right: 1·2=2, 0, 0, 0, 0, 0, 0, 1 → 3 → (10 − 3) mod 10 = 7
    [InlineData(10000001, "100000017")]
    // 10000002: 2·2=4 + 1 = 5 → 5
    [InlineData(10000002, "100000025")]
    // 10000005: 5·2=10 → 1, + 1 = 2 → 8
    [InlineData(10000005, "100000058")]
    // the textbook Luhn example 7992739871 → 3
    [InlineData(7992739871, "79927398713")]
    public void affiliation_number_is_the_sequence_followed_by_its_luhn_check_digit(long sequence, string expected) =>
        AffiliationNumber.FromSequence(sequence).ShouldBe(expected);

    [Theory]
    [InlineData("100000017", true)]
    [InlineData("100000025", true)]
    [InlineData("79927398713", true)]
    [InlineData("100000018", false)] // wrong check digit
    [InlineData("100000071", false)] // last two digits swapped: 10000007 → 7·2=14 → 5, + 1 = 6 → 4, not 1
    [InlineData("10000001a", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    public void a_mistyped_affiliation_number_is_caught(string number, bool expected) =>
        AffiliationNumber.IsWellFormed(number).ShouldBe(expected);
}
