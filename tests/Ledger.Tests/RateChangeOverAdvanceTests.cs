using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1 Advance payment: "A period paid in advance stays paid if the rate schedule changes later (policy
/// default)", and §1 Contributions: "Each period of a coverage episode is owed at the rate of the schedule row in
/// force for that period". Periods may be paid up to 12 months ahead, so a new minimum wage usually takes effect on
/// periods someone has already paid: the schedule must accept the row, and those periods keep what was paid.
/// </summary>
public class RateChangeOverAdvanceTests
{
    [Fact]
    public void a_new_row_over_periods_already_paid_in_advance_is_accepted()
    {
        // Today 2026-11; accounts may have paid up to 2027-11 (the advance limit). A decree sets US$400 from 2027-01:
        // the row must be accepted whatever has been paid in advance (the check no longer asks).
        var refusals = RatePolicy.Check(new RateAdded(P(2027, 1), 400m), RateSchedule.Known, P(2026, 11), Rules);
        refusals.ShouldBeEmpty();
    }

    [Fact]
    public void a_new_row_may_still_not_start_in_the_current_month_or_before_the_last_row()
    {
        // A row for the month in course (2026-11) or before the last row (2022-01) is back-dated.
        RatePolicy.Check(new RateAdded(P(2026, 11), 400m), RateSchedule.Known, P(2026, 11), Rules)
            .ShouldHaveSingleItem().Field.ShouldBe("firstPeriod");
        RatePolicy.Check(new RateAdded(P(2021, 6), 400m), RateSchedule.Known, P(2026, 11), Rules)
            .ShouldHaveSingleItem().Field.ShouldBe("firstPeriod");
    }

    [Fact]
    public void periods_paid_in_advance_stay_paid_and_the_next_ones_are_owed_at_the_new_rate()
    {
        // Enrolled 2026-10-20, first period 2026-11; on 2026-11-05 pays 2026-11 and 2026-12, 2027-01 in advance at
        // 68.04 each (3 × 68.04 = 204.12). Then the row 2027-01 → US$400 is added: 400 × 2 × 0.0932 = 74.56.
        var account = NewAccount(Enrolled(D(2026, 10, 20), P(2026, 11))).Pay(D(2026, 11, 5), 204.12m, "A1");
        account.PaidThrough.ShouldBe(P(2027, 1));
        var newRates = new RateSchedule([.. RateSchedule.Known.Rows, new RateRow(P(2027, 1), 400m)]);

        // 2027-01 stays paid at 68.04; the next payment starts at 2027-02, owed at 74.56.
        account.Paid.Single(p => p.Period == P(2027, 1)).Base.ShouldBe(68.04m);
        var next = PaymentAllocator.Allocate(account, Source(D(2026, 12, 10), "A2"), 74.56m, newRates, Cal, Rules);
        next.Advances.ShouldHaveSingleItem().ShouldBe(new PeriodPayment(P(2027, 2), 74.56m, 0, 0m, 0m));
        next.Remainder.ShouldBe(0m);
    }
    /// <summary>The row of 2027-06 (US$400: 74.56) added after accounts had paid up to 2027-12 in advance at 68.04, under
    /// the row of 2022-01, and a later row of 2028-01 (US$450: 83.88).</summary>
    private static readonly RatePolicyState Rows = new(
        [.. RateSchedule.Known.Rows, new RateRow(P(2027, 6), 400m), new RateRow(P(2028, 1), 450m)],
        []
    );

    private static IReadOnlyList<Refusal> Withdraw(YearMonth firstPeriod, params PaidPrice[] paid) =>
        RatePolicy.CheckProposal(
            new RateChangeProposed(Guid.NewGuid(), RateChangeKind.Withdraw, firstPeriod, null, "policy", "typo"),
            Rows,
            paid,
            Rules
        );

    [Fact]
    public void a_row_over_periods_paid_in_advance_before_it_can_still_be_withdrawn()
    {
        // 2027-06 to 2027-12 were paid at 68.04, the price of the row before it: the row of 2027-06 priced nothing.
        Withdraw(P(2027, 6), new PaidPrice(P(2027, 6), 68.04m), new PaidPrice(P(2027, 12), 68.04m)).ShouldBeEmpty();
    }

    [Fact]
    public void a_row_that_priced_a_payment_stays()
    {
        // 2027-07 paid at 74.56 (the row of 2027-06's price) holds the row; 2028-02 at 83.88 holds only the next one.
        var refused = Withdraw(P(2027, 6), new PaidPrice(P(2027, 7), 74.56m), new PaidPrice(P(2028, 2), 83.88m));
        refused.ShouldHaveSingleItem().Field.ShouldBe("firstPeriod");
        refused[0].Reason.ShouldContain("up to 2027-07");
        Withdraw(P(2028, 1), new PaidPrice(P(2027, 7), 74.56m)).ShouldBeEmpty();
        Withdraw(P(2028, 1), new PaidPrice(P(2028, 2), 83.88m)).ShouldHaveSingleItem().Field.ShouldBe("firstPeriod");
    }

    [Fact]
    public void a_row_whose_contribution_equals_the_one_before_is_kept_once_its_periods_are_paid()
    {
        // Paid at 68.04 in 2027-06: the row of 2022-01 or a row of 2027-06 at US$365 alike; the check keeps the row.
        var same = new RatePolicyState([.. RateSchedule.Known.Rows, new RateRow(P(2027, 6), 365m)], []);
        RatePolicy
            .CheckProposal(
                new RateChangeProposed(Guid.NewGuid(), RateChangeKind.Withdraw, P(2027, 6), null, "policy", "typo"),
                same,
                [new PaidPrice(P(2027, 6), 68.04m)],
                Rules
            )
            .ShouldHaveSingleItem()
            .Field.ShouldBe("firstPeriod");
    }
}
