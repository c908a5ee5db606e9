using Salex.Ledger.Contributions;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class PaymentDecisionTests
{
    private static RecordPayment Command(decimal amount, int y = 2018, int m = 3, int d = 5) =>
        new(D(y, m, d), amount, "AGRICOLA", "000912345", Channel.Online);

    private static readonly NodaTime.LocalDate Today = D(2018, 3, 31);

    private static PaymentDecision Decide(RecordPayment command) =>
        Payments.Decide(Enrolled2018(), command, Today, Regime.Default);

    [Fact]
    public void a_valid_payment_is_accepted_with_its_allocation()
    {
        var (refusals, allocation) = Decide(Command(58.72m));
        refusals.ShouldBeEmpty();
        allocation.ShouldNotBeNull();
        allocation.Contributions.ShouldHaveSingleItem().Surcharge.ShouldBe(2.80m);
        allocation.Source.Channel.ShouldBe("ONLINE");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-58.72")]
    [InlineData("-0.01")]
    public void a_zero_or_negative_amount_is_invalid(string amount)
    {
        var (refusals, allocation) = Decide(Command(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("amount");
    }

    [Theory]
    [InlineData("58.725")]
    [InlineData("58.721")]
    [InlineData("0.001")]
    public void an_amount_with_three_decimals_is_invalid(string amount)
    {
        var (refusals, allocation) = Decide(Command(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("amount");
    }

    [Fact]
    public void an_amount_with_a_trailing_zero_third_decimal_is_whole_cents()
    {
        var (refusals, _) = Decide(Command(58.720m));
        refusals.ShouldBeEmpty();
    }

    [Fact]
    public void a_payment_dated_in_the_future_is_invalid()
    {
        // Today 2018-03-31; paid on 2018-04-01.
        var (refusals, allocation) = Decide(Command(58.72m, 2018, 4, 1));
        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("paidOn");
    }

    [Fact]
    public void a_payment_dated_today_is_accepted()
    {
        // 2018-03-31: 2018-02 is 31 days late → 61.51; 2018-03 (due 03-28) 3 days late → 58.72. Total 120.23.
        var (refusals, allocation) = Decide(Command(120.23m, 2018, 3, 31));
        refusals.ShouldBeEmpty();
        allocation!.Contributions.Select(p => p.Surcharge).ShouldBe([5.59m, 2.80m]);
        allocation.Remainder.ShouldBe(0m);
    }

    [Fact]
    public void a_payment_dated_before_the_enrolment_is_invalid()
    {
        // Enrolled 2018-01-10. A date the rules refuse is a bad value (400), like a date in the future (issue 17).
        var (refusals, allocation) = Decide(Command(55.92m, 2018, 1, 9));
        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("paidOn");
    }

    [Fact]
    public void missing_bank_code_and_reference_are_each_named()
    {
        var command = new RecordPayment(D(2018, 3, 5), 58.72m, " ", "", Channel.Branch);
        var (refusals, _) = Decide(command);
        refusals.Select(r => r.Field).ShouldBe(["bankCode", "reference"], ignoreOrder: true);
        refusals.ShouldAllBe(r => r.Kind == RefusalKind.Invalid);
    }
}
