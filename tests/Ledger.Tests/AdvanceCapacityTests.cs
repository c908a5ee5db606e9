using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class AdvanceCapacityTests
{
    /// <summary>Enrolled 2023-12-05, first period 2024-01, 2024-01 paid on 2024-01-10 (68.04).</summary>
    private static Account PaidThroughJanuary2024() =>
        NewAccount(Enrolled(D(2023, 12, 5), P(2024, 1)))
            .ApplyAll([PaidOnTime(D(2024, 1, 10), "R1", (P(2024, 1), 68.04m))]);

    private static RecordPayment Command(decimal amount) =>
        new(D(2024, 1, 15), amount, "AGRICOLA", "ADV-1", Channel.Online);

    [Theory]
    [InlineData(2024, 1, 1, 2025, 1)]
    [InlineData(2024, 1, 15, 2025, 1)]
    [InlineData(2024, 1, 31, 2025, 1)]
    [InlineData(2024, 2, 1, 2025, 2)]
    [InlineData(2018, 12, 31, 2019, 12)]
    public void the_last_payable_period_is_the_payment_month_plus_twelve(int y, int m, int d, int py, int pm) =>
        PaymentAllocator.LastPayablePeriod(D(y, m, d), Rules).ShouldBe(P(py, pm));

    [Fact]
    public void worked_example_on_2024_01_15_paid_through_2024_01_may_pay_up_to_2025_01()
    {
        // next unpaid 2024-02 … 2025-01 = 12 periods
        var capacity = AdvanceCapacity.On(PaidThroughJanuary2024(), D(2024, 1, 15), Rules);
        capacity.LastPayablePeriod.ShouldBe(P(2025, 1));
        capacity.MonthsPayable.ShouldBe(12);
    }

    [Fact]
    public void spec_account_example_paid_through_2018_03_may_pay_twelve_months_to_2019_03()
    {
        var account = Enrolled2018().ApplyAll([PaidOnTime(D(2018, 3, 10), "R1", (P(2018, 2), 55.92m), (P(2018, 3), 55.92m))]);
        var capacity = AdvanceCapacity.On(account, D(2018, 3, 20), Rules);
        capacity.LastPayablePeriod.ShouldBe(P(2019, 3));
        capacity.MonthsPayable.ShouldBe(12);
    }

    [Fact]
    public void a_payment_that_exactly_reaches_the_limit_is_accepted()
    {
        // 12 × 68.04 = 816.48 pays 2024-02 … 2025-01
        var (refusals, allocation) = Payments.Decide(PaidThroughJanuary2024(), Command(816.48m), D(2024, 1, 15), Regime.Default);

        refusals.ShouldBeEmpty();
        allocation.ShouldNotBeNull();
        allocation.Contributions.ShouldBeEmpty();
        allocation.Advances.Count.ShouldBe(12);
        allocation.Advances[0].Period.ShouldBe(P(2024, 2));
        allocation.Advances[^1].Period.ShouldBe(P(2025, 1));
        allocation.Advances.ShouldAllBe(p => p.Base == 68.04m && p.Surcharge == 0m);
        allocation.Remainder.ShouldBe(0m);
        allocation.StoppedAtAdvanceLimit.ShouldBeFalse();
        allocation.ToEvents().ShouldHaveSingleItem().ShouldBeOfType<AdvancePaid>();

        var after = PaidThroughJanuary2024().ApplyAll(allocation.ToEvents());
        after.PaidThrough.ShouldBe(P(2025, 1));
        AdvanceCapacity.On(after, D(2024, 1, 15), Rules).MonthsPayable.ShouldBe(0);
    }

    [Fact]
    public void a_payment_whose_money_would_reach_past_the_limit_is_refused_as_unprocessable()
    {
        // 13 × 68.04 = 884.52 would pay 2025-02, past the limit 2025-01
        var (refusals, allocation) = Payments.Decide(PaidThroughJanuary2024(), Command(884.52m), D(2024, 1, 15), Regime.Default);

        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Unprocessable);
        refusal.Field.ShouldBe("amount");
    }

    [Fact]
    public void the_allocator_stops_at_the_limit_and_keeps_the_excess_as_remainder()
    {
        // 884.52 − 816.48 = 68.04 left, a whole period beyond 2025-01
        var allocation = Allocate(PaidThroughJanuary2024(), D(2024, 1, 15), 884.52m);
        allocation.StoppedAtAdvanceLimit.ShouldBeTrue();
        allocation.LastPayablePeriod.ShouldBe(P(2025, 1));
        allocation.Advances.Count.ShouldBe(12);
        allocation.Advances[^1].Period.ShouldBe(P(2025, 1));
        allocation.Remainder.ShouldBe(68.04m);
    }

    [Fact]
    public void a_payment_on_the_first_of_the_next_month_may_go_one_period_further()
    {
        // On 2024-02-01 the limit is 2025-02; 13 × 68.04 = 884.52 pays 2024-02 … 2025-02
        var command = new RecordPayment(D(2024, 2, 1), 884.52m, "AGRICOLA", "ADV-2", Channel.Online);
        var (refusals, allocation) = Payments.Decide(PaidThroughJanuary2024(), command, D(2024, 2, 1), Regime.Default);

        refusals.ShouldBeEmpty();
        allocation!.Contributions.ShouldHaveSingleItem().Period.ShouldBe(P(2024, 2));
        allocation.Advances.Count.ShouldBe(12);
        allocation.Advances[^1].Period.ShouldBe(P(2025, 2));
    }

    [Fact]
    public void an_account_paid_to_the_limit_has_no_months_payable_and_any_further_period_is_refused()
    {
        var account = PaidThroughJanuary2024().ApplyAll(Allocate(PaidThroughJanuary2024(), D(2024, 1, 15), 816.48m).ToEvents());
        AdvanceCapacity.On(account, D(2024, 1, 20), Rules).MonthsPayable.ShouldBe(0);

        var command = new RecordPayment(D(2024, 1, 20), 68.04m, "AGRICOLA", "ADV-3", Channel.Online);
        var (refusals, _) = Payments.Decide(account, command, D(2024, 1, 20), Regime.Default);
        refusals.ShouldHaveSingleItem().Kind.ShouldBe(RefusalKind.Unprocessable);
    }
}
