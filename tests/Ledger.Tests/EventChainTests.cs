using Salex.Ledger.Integrity;
using Shouldly;

namespace Salex.Ledger.Tests;

public sealed class EventChainTests
{
    private static readonly ChainedEvent Sample = new(
        "100000017", 2, Guid.Parse("0b9f6f2e-8f2a-4d59-9a53-3f0f7d1c2e11"), "credit_recorded",
        new DateTimeOffset(2024, 3, 5, 10, 15, 0, TimeSpan.FromHours(-6)).AddTicks(1234560),
        """{"amount": 4.08}""", """{"role": "finance"}""", "corr-1", null, "dev-finance (finance)");

    [Fact]
    public void the_canonical_form_is_length_prefixed_fields_in_a_fixed_order_with_the_time_in_utc_microseconds()
    {
        EventChain.CanonicalForm(Sample, EventChain.Genesis).ShouldBe(
            "salex-chain/1\n9:100000017\n1:2\n36:0b9f6f2e-8f2a-4d59-9a53-3f0f7d1c2e11\n15:credit_recorded\n"
            + "27:2024-03-05T16:15:00.123456Z\n16:{\"amount\": 4.08}\n19:{\"role\": \"finance\"}\n6:corr-1\n-\n21:dev-finance (finance)\n"
            + "64:" + new string('0', 64) + "\n");
    }

    [Fact]
    public void the_hash_is_the_sha256_of_the_canonical_form()
    {
        // Computed outside .NET (Python hashlib.sha256) over the canonical form above.
        EventChain.Hash(Sample, EventChain.Genesis).ShouldBe("a4488d55551fb0bd572321040a98aaf78925ab4ac6f9c61672997c2645cc9228");
    }

    [Fact]
    public void any_change_to_content_metadata_place_or_previous_link_changes_the_hash()
    {
        var hash = EventChain.Hash(Sample, EventChain.Genesis);
        EventChain.Hash(Sample with { Data = """{"amount": 40.08}""" }, EventChain.Genesis).ShouldNotBe(hash);
        EventChain.Hash(Sample with { Version = 3 }, EventChain.Genesis).ShouldNotBe(hash);
        EventChain.Hash(Sample with { Type = "credit_applied" }, EventChain.Genesis).ShouldNotBe(hash);
        EventChain.Hash(Sample with { UserName = "someone" }, EventChain.Genesis).ShouldNotBe(hash);
        EventChain.Hash(Sample with { CausationId = "" }, EventChain.Genesis).ShouldNotBe(hash);   // empty is not missing
        EventChain.Hash(Sample with { Timestamp = Sample.Timestamp!.Value.AddTicks(10) }, EventChain.Genesis).ShouldNotBe(hash);
        EventChain.Hash(Sample with { Timestamp = null }, EventChain.Genesis).ShouldNotBe(hash);   // Marten's tombstones: -infinity
        EventChain.Hash(Sample, new string('1', 64)).ShouldNotBe(hash);
    }

    [Fact]
    public void fields_cannot_be_shifted_into_each_other()
    {
        var a = Sample with { CorrelationId = "a\n1:b", CausationId = null };
        var b = Sample with { CorrelationId = "a", CausationId = "b" };
        EventChain.Hash(a, EventChain.Genesis).ShouldNotBe(EventChain.Hash(b, EventChain.Genesis));
    }

    [Fact]
    public void the_digest_does_not_depend_on_the_order_heads_are_given_in()
    {
        StreamHead[] heads = [new("B", 2, new string('b', 64)), new("A", 1, new string('a', 64))];
        LedgerDigest.Hash(heads).ShouldBe(LedgerDigest.Hash(heads.Reverse()));
        LedgerDigest.CanonicalForm(heads).ShouldStartWith("salex-digest/1\n1:A\n1:1\n64:");
        LedgerDigest.Hash(heads).ShouldNotBe(LedgerDigest.Hash([heads[0], heads[1] with { Version = 2 }]));
    }

    [Fact]
    public void the_hash_written_into_bytes_is_the_sha256_of_the_canonical_text_whatever_the_fields()
    {
        // The hash no longer goes through the canonical form's text: held equal to it over fields of every kind
        // (missing, empty, accents, characters outside the BMP, a lone surrogate, long JSON, far versions and times).
        var random = new Random(20261208);
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => "aé€\n\"{}:-0😀"[random.Next(12)])]);
        string? Maybe(int length) => random.Next(4) == 0 ? null : Text(length);
        for (var i = 0; i < 2_000; i++)
        {
            var e = new ChainedEvent(
                Text(random.Next(0, 12)), random.NextInt64(-1, long.MaxValue), Guid.NewGuid(), Text(random.Next(1, 30)),
                random.Next(5) == 0 ? null : DateTimeOffset.MinValue.AddTicks(random.NextInt64(0, DateTimeOffset.MaxValue.Ticks)),
                Text(random.Next(0, 5_000)), Maybe(200), Maybe(40), Maybe(40), Maybe(40));
            var previous = i % 7 == 0 ? EventChain.Genesis : Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            EventChain.Hash(e, previous).ShouldBe(EventChain.Sha256Hex(EventChain.CanonicalForm(e, previous)));
        }
        var lone = Sample with { Data = "{\"a\": \"\ud800\"}", UserName = "\udc00x" };
        EventChain.Hash(lone, EventChain.Genesis).ShouldBe(EventChain.Sha256Hex(EventChain.CanonicalForm(lone, EventChain.Genesis)));
    }
}
