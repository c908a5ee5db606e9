using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class PaymentAllocationTests
{
    [Fact]
    public void worked_example_paid_five_days_late_carries_2_80_and_totals_58_72()
    {
        // 2018-02 due 2018-02-28; paid 2018-03-05 → 5 days; 55.92 × 0.05 = 2.796 → 2.80; 55.92 + 2.80 = 58.72
        var allocation = Allocate(Enrolled2018(), D(2018, 3, 5), 58.72m);

        var period = allocation.Contributions.ShouldHaveSingleItem();
        period.Period.ShouldBe(P(2018, 2));
        period.Base.ShouldBe(55.92m);
        period.DaysLate.ShouldBe(5);
        period.SurchargeRate.ShouldBe(0.05m);
        period.Surcharge.ShouldBe(2.80m);
        period.Total.ShouldBe(58.72m);
        allocation.Advances.ShouldBeEmpty();
        allocation.Remainder.ShouldBe(0m);
        allocation.CreditApplied.ShouldBe(0m);
        allocation.StoppedAtAdvanceLimit.ShouldBeFalse();
    }

    [Fact]
    public void worked_example_paid_twenty_days_late_carries_5_59_and_totals_61_51()
    {
        // paid 2018-03-20 → 20 days; 55.92 × 0.10 = 5.592 → 5.59; 55.92 + 5.59 = 61.51
        var allocation = Allocate(Enrolled2018(), D(2018, 3, 20), 61.51m);

        var period = allocation.Contributions.ShouldHaveSingleItem();
        period.DaysLate.ShouldBe(20);
        period.SurchargeRate.ShouldBe(0.10m);
        period.Surcharge.ShouldBe(5.59m);
        period.Total.ShouldBe(61.51m);
        allocation.Remainder.ShouldBe(0m);
    }

    [Fact]
    public void a_payment_one_cent_short_of_the_surcharged_total_pays_no_period_and_becomes_credit()
    {
        // 58.71 < 58.72 owed on 2018-03-05: nothing paid, the whole amount is credit.
        var allocation = Allocate(Enrolled2018(), D(2018, 3, 5), 58.71m);

        allocation.Periods.ShouldBeEmpty();
        allocation.Remainder.ShouldBe(58.71m);
        var credit = allocation.ToEvents().ShouldHaveSingleItem().ShouldBeOfType<CreditRecorded>();
        credit.Amount.ShouldBe(58.71m);
    }

    [Fact]
    public void a_payment_pays_whole_periods_oldest_first_each_with_its_own_surcharge()
    {
        // Paid 2018-04-10, nothing paid before.
        // 2018-02 due 02-28 → 41 days → 10 %: 5.59 → 61.51
        // 2018-03 due 03-28 → 13 days →  5 %: 2.80 → 58.72
        // 61.51 + 58.72 = 120.23
        var allocation = Allocate(Enrolled2018(), D(2018, 4, 10), 120.23m);

        allocation.Contributions.Count.ShouldBe(2);
        var feb = allocation.Contributions[0];
        feb.Period.ShouldBe(P(2018, 2));
        feb.DaysLate.ShouldBe(41);
        feb.SurchargeRate.ShouldBe(0.10m);
        feb.Surcharge.ShouldBe(5.59m);
        var mar = allocation.Contributions[1];
        mar.Period.ShouldBe(P(2018, 3));
        mar.DaysLate.ShouldBe(13);
        mar.SurchargeRate.ShouldBe(0.05m);
        mar.Surcharge.ShouldBe(2.80m);
        allocation.ContributionsTotal.ShouldBe(111.84m); // 2 × 55.92
        allocation.SurchargesTotal.ShouldBe(8.39m);      // 5.59 + 2.80
        allocation.Remainder.ShouldBe(0m);
        allocation.Advances.ShouldBeEmpty();
    }

    [Fact]
    public void a_payment_spanning_the_rate_change_charges_each_period_at_its_own_rate()
    {
        // Enrolled 2021-11-15, first period 2021-12. Paid 2022-01-10:
        // 2021-12 due 2021-12-31 (Fri) → 10 days → 55.92 + 2.80 = 58.72
        // 2022-01 due 2022-01-31 → on time → 68.04
        // 58.72 + 68.04 = 126.76
        var account = NewAccount(Enrolled(D(2021, 11, 15), P(2021, 12)));
        var allocation = Allocate(account, D(2022, 1, 10), 126.76m);

        allocation.Contributions.Select(p => (p.Period, p.Base, p.Surcharge)).ShouldBe([
            (P(2021, 12), 55.92m, 2.80m),
            (P(2022, 1), 68.04m, 0m),
        ]);
        allocation.Remainder.ShouldBe(0m);
    }

    [Fact]
    public void paying_2021_12_on_time_and_2022_01_in_advance_uses_both_rates()
    {
        // Paid 2021-12-15: 2021-12 is the payment month (contribution, 55.92); 2022-01 is in advance (68.04).
        // 55.92 + 68.04 = 123.96
        var account = NewAccount(Enrolled(D(2021, 11, 15), P(2021, 12)));
        var allocation = Allocate(account, D(2021, 12, 15), 123.96m);

        allocation.Contributions.ShouldHaveSingleItem().Base.ShouldBe(55.92m);
        var advance = allocation.Advances.ShouldHaveSingleItem();
        advance.Period.ShouldBe(P(2022, 1));
        advance.Base.ShouldBe(68.04m);
        advance.Surcharge.ShouldBe(0m);
        allocation.Remainder.ShouldBe(0m);
    }

    [Fact]
    public void an_amount_that_does_not_make_a_whole_period_leaves_a_credit()
    {
        // Paid 2018-02-20 (before the due date) 100.00: 2018-02 costs 55.92, 100 − 55.92 = 44.08 is credit
        // (44.08 < 55.92 for 2018-03).
        var allocation = Allocate(Enrolled2018(), D(2018, 2, 20), 100.00m);

        allocation.Contributions.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 2));
        allocation.Remainder.ShouldBe(44.08m);
        var events = allocation.ToEvents();
        events.Count.ShouldBe(2);
        events[0].ShouldBeOfType<ContributionPaid>().Periods.ShouldHaveSingleItem().Total.ShouldBe(55.92m);
        events[1].ShouldBeOfType<CreditRecorded>().Amount.ShouldBe(44.08m);

        Enrolled2018().ApplyAll(events).Credit.ShouldBe(44.08m);
    }

    [Fact]
    public void an_existing_credit_is_spent_first_together_with_the_new_payment()
    {
        // Credit 44.08 from a payment of 100.00 on 2018-02-20 (see above).
        // Paid 2018-03-10 20.00: available 44.08 + 20.00 = 64.08 → pays 2018-03 (on time, 55.92).
        // Credit applied 44.08; new money spent 55.92 − 44.08 = 11.84; remainder 20.00 − 11.84 = 8.16.
        var account = Enrolled2018().Pay(D(2018, 2, 20), 100.00m, "REF-1");
        account.Credit.ShouldBe(44.08m);

        var allocation = Allocate(account, D(2018, 3, 10), 20.00m, "REF-2");

        allocation.CreditApplied.ShouldBe(44.08m);
        allocation.Remainder.ShouldBe(8.16m);
        allocation.Contributions.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 3));

        var events = allocation.ToEvents();
        events.Count.ShouldBe(3);
        var applied = events[0].ShouldBeOfType<CreditApplied>();
        applied.Amount.ShouldBe(44.08m);
        applied.Source.Reference.ShouldBe("REF-2");
        events[1].ShouldBeOfType<ContributionPaid>().Periods.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 3));
        events[2].ShouldBeOfType<CreditRecorded>().Amount.ShouldBe(8.16m);

        // 44.08 − 44.08 + 8.16 = 8.16
        var after = account.ApplyAll(events);
        after.Credit.ShouldBe(8.16m);
        after.PaidThrough.ShouldBe(P(2018, 3));
    }

    [Fact]
    public void an_existing_credit_that_exactly_completes_a_period_leaves_no_remainder()
    {
        // Credit 44.08; paid 2018-03-10 11.84: 44.08 + 11.84 = 55.92 → 2018-03 paid, no credit left.
        var account = Enrolled2018().Pay(D(2018, 2, 20), 100.00m, "REF-1");
        var allocation = Allocate(account, D(2018, 3, 10), 11.84m, "REF-2");

        allocation.CreditApplied.ShouldBe(44.08m);
        allocation.Remainder.ShouldBe(0m);
        var events = allocation.ToEvents();
        events.Select(e => e.GetType()).ShouldBe([typeof(CreditApplied), typeof(ContributionPaid)]);
        account.ApplyAll(events).Credit.ShouldBe(0m);
    }

    [Fact]
    public void a_payment_too_small_to_use_the_credit_adds_to_it()
    {
        // Credit 44.08; paid 2018-03-10 5.00: 49.08 < 55.92 → nothing paid, credit applied 0, remainder 5.00.
        var account = Enrolled2018().Pay(D(2018, 2, 20), 100.00m, "REF-1");
        var allocation = Allocate(account, D(2018, 3, 10), 5.00m, "REF-2");

        allocation.Periods.ShouldBeEmpty();
        allocation.CreditApplied.ShouldBe(0m);
        allocation.Remainder.ShouldBe(5.00m);
        account.ApplyAll(allocation.ToEvents()).Credit.ShouldBe(49.08m); // 44.08 + 5.00
    }

    [Fact]
    public void a_payment_of_overdue_current_and_future_periods_is_a_contribution_paid_and_an_advance_paid()
    {
        // Paid 2018-03-05:
        // 2018-02 overdue 5 days → 58.72; 2018-03 current → 55.92; 2018-04 future → 55.92
        // 58.72 + 55.92 + 55.92 = 170.56
        var allocation = Allocate(Enrolled2018(), D(2018, 3, 5), 170.56m, "000912345");

        allocation.Contributions.Select(p => p.Period).ShouldBe([P(2018, 2), P(2018, 3)]);
        allocation.Advances.Select(p => p.Period).ShouldBe([P(2018, 4)]);
        allocation.ContributionsTotal.ShouldBe(167.76m); // 3 × 55.92
        allocation.SurchargesTotal.ShouldBe(2.80m);
        allocation.Remainder.ShouldBe(0m);

        var events = allocation.ToEvents();
        events.Count.ShouldBe(2);
        var paid = events[0].ShouldBeOfType<ContributionPaid>();
        var advance = events[1].ShouldBeOfType<AdvancePaid>();
        paid.Source.Reference.ShouldBe("000912345");
        advance.Source.Reference.ShouldBe("000912345");
        paid.Source.PaidOn.ShouldBe(D(2018, 3, 5));
        advance.Periods.ShouldHaveSingleItem().Surcharge.ShouldBe(0m);

        var account = Enrolled2018().ApplyAll(events);
        account.PaidThrough.ShouldBe(P(2018, 4));
        account.NextUnpaidPeriod.ShouldBe(P(2018, 5));
        account.Paid.Select(p => p.Period).ShouldBe([P(2018, 2), P(2018, 3), P(2018, 4)]);
    }

    [Fact]
    public void paying_before_the_first_period_starts_records_an_advance()
    {
        // Paid 2018-01-15 (enrolment month) 55.92: 2018-02 lies after the payment month → AdvancePaid.
        var allocation = Allocate(Enrolled2018(), D(2018, 1, 15), 55.92m);
        allocation.Contributions.ShouldBeEmpty();
        allocation.Advances.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 2));
        allocation.ToEvents().ShouldHaveSingleItem().ShouldBeOfType<AdvancePaid>();
    }

    [Fact]
    public void the_next_payment_starts_after_the_last_paid_period()
    {
        // 2018-02 paid on time; a payment on 2018-03-10 of 55.92 pays 2018-03, not 2018-02 again.
        var account = Enrolled2018().ApplyAll([PaidOnTime(D(2018, 2, 20), "R1", (P(2018, 2), 55.92m))]);
        account.NextUnpaidPeriod.ShouldBe(P(2018, 3));

        var allocation = Allocate(account, D(2018, 3, 10), 55.92m, "R2");
        allocation.Contributions.ShouldHaveSingleItem().Period.ShouldBe(P(2018, 3));
    }

    [Fact]
    public void replay_folds_the_events_of_a_stream()
    {
        // 100.00 on 2018-02-20 → 2018-02 + credit 44.08
        var first = Allocate(Enrolled2018(), D(2018, 2, 20), 100.00m, "R1");
        var account = Account.Replay([Enrolled(D(2018, 1, 10), P(2018, 2)), .. first.ToEvents()]);

        account.ShouldNotBeNull();
        account.Id.ShouldBe("100000017");
        account.PaidThrough.ShouldBe(P(2018, 2));
        account.Credit.ShouldBe(44.08m);
        account.Paid.ShouldHaveSingleItem().PaidOn.ShouldBe(D(2018, 2, 20));
    }
}
