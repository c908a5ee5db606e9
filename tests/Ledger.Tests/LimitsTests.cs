using Shouldly;

namespace Salex.Ledger.Tests;

public sealed class LimitsTests
{
    [Theory]
    [InlineData("Ana María López")]
    [InlineData("José Ñúñez-O'Brien")]
    [InlineData("李小龙 😀")]              // a surrogate pair is one character, not half of one
    public void ordinary_text_passes(string text) => Limits.TextProblem(text, Limits.Name).ShouldBeNull();

    [Theory]
    [InlineData("A\0B", "U+0000")]
    [InlineData("evil\u202Etxt", "U+202E")]
    [InlineData("zero\u200Bwidth", "U+200B")]
    [InlineData("tab\there", "U+0009")]
    [InlineData("line\u2028break", "U+2028")]
    [InlineData("lost\uFFFD", "U+FFFD")]
    public void control_format_and_damaged_characters_are_refused_and_named(string text, string named) =>
        Limits.TextProblem(text, Limits.Name).ShouldNotBeNull().ShouldContain(named);

    [Fact]
    public void half_of_a_surrogate_pair_is_refused() =>   // not as InlineData: the runner would mangle it
        Limits.TextProblem("half\uD800", Limits.Name).ShouldNotBeNull().ShouldContain("U+D800");

    [Fact]
    public void characters_are_counted_as_a_person_counts_them_not_in_utf16_units()
    {
        // 150 emoji are 300 UTF-16 units: within a 200-character name; 201 of them are not, and the count says 201.
        var emoji = string.Concat(Enumerable.Repeat("😀", 150));
        emoji.Length.ShouldBe(300);
        Limits.TextProblem(emoji, Limits.Name).ShouldBeNull();
        Limits.TextProblem(string.Concat(Enumerable.Repeat("😀", 201)), Limits.Name).ShouldBe("At most 200 characters (201 given).");
    }

    [Fact]
    public void a_text_past_its_limit_is_refused_with_the_limit()
    {
        Limits.TextProblem(new string('x', Limits.Reference + 1), Limits.Reference).ShouldNotBeNull().ShouldContain("64");
        Limits.TextProblem(new string('x', Limits.Reference), Limits.Reference).ShouldBeNull();
    }

    [Fact]
    public void printable_replaces_what_cannot_be_kept_and_cuts_to_length()
    {
        Limits.Printable("A\0B\u202EC😀", 100).ShouldBe("A\uFFFDB\uFFFDC😀");
        Limits.Printable(new string('x', 500), 300).Length.ShouldBe(300);
    }
}
