using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1 Return to El Salvador: coverage continues six months after the return date if paid, then the
/// episode ends (ReturnWindowExpired); periods paid past the window become a refund due. Voluntary withdrawal
/// ends coverage on its date and refunds the periods after the month of the last covered day.
/// Enrolled 2023-12-20, first period 2024-01, rate 68.04 a month (9.32 % × 2 × 365 = 68.036 → 68.04).
/// Due dates 2024: 04 → Tue 04-30, 05 → Fri 05-31, 06 → Fri 06-28 (30th is a Sunday), 09 → Mon 09-30.
/// </summary>
public class ReturnAndWithdrawalTests
{
    private const decimal Rate = 68.04m;
    private static readonly Regime R = Regime.Default;

    private static Account Enrolled2024() => NewAccount(Enrolled(D(2023, 12, 20), P(2024, 1)));

    /// <summary>2024-01 paid on 2024-01-10 and 2024-02..<paramref name="through"/> paid in advance the same day.</summary>
    private static Account PaidOn20240110Through(YearMonth through)
    {
        var advances = new List<PeriodPayment>();
        for (var p = P(2024, 2); p <= through; p = p.PlusMonths(1)) advances.Add(new PeriodPayment(p, Rate, 0, 0m, 0m));
        var account = Enrolled2024().After(PaidOnTime(D(2024, 1, 10), "R1", (P(2024, 1), Rate)));
        return advances.Count == 0 ? account : account.After(new AdvancePaid(Source(D(2024, 1, 10), "R1"), advances));
    }

    private static Account Apply(Account account, (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events) decision)
    {
        decision.Refusals.ShouldBeEmpty();
        return account.ApplyAll(decision.Events);
    }

    private static Standing On(Account account, LocalDate date) => Standing.On(account, date, R);

    // ---- Return ----

    [Fact]
    public void a_return_opens_a_six_month_window()
    {
        // 2024-03-10 + 6 months = 2024-09-10. Paid through 2024-09: nothing to refund.
        var (refusals, events) = EpisodeChanges.Return(PaidOn20240110Through(P(2024, 9)), D(2024, 3, 10), D(2024, 3, 10), R);

        refusals.ShouldBeEmpty();
        events.ShouldHaveSingleItem().ShouldBe(new Returned(D(2024, 3, 10), D(2024, 9, 10)));
    }

    [Fact]
    public void on_the_last_day_of_the_window_a_paid_account_is_active_and_the_day_after_it_has_lapsed()
    {
        var account = Apply(PaidOn20240110Through(P(2024, 9)), EpisodeChanges.Return(PaidOn20240110Through(P(2024, 9)), D(2024, 3, 10), D(2024, 3, 10), R));

        var last = On(account, D(2024, 9, 10));
        last.Status.ShouldBe(RightsStatus.Active);
        last.PaidThrough.ShouldBe(P(2024, 9));
        last.CoveredThrough.ShouldBe(P(2024, 9));

        var after = On(account, D(2024, 9, 11));
        after.Status.ShouldBe(RightsStatus.Lapsed);
        after.End.ShouldBe(new EpisodeEnd(D(2024, 9, 11), LapseReason.ReturnWindowExpired, P(2024, 9)));

        EpisodeChanges.Sweep(account, D(2024, 9, 10), R).ShouldBeNull();
        EpisodeChanges.Sweep(account, D(2024, 9, 11), R).ShouldBe(new Lapsed(D(2024, 9, 11), LapseReason.ReturnWindowExpired, P(2024, 9)));
    }

    [Fact]
    public void periods_paid_past_the_window_become_one_refund_due()
    {
        // Paid through 2024-12; the window ends 2024-09-10 → 2024-10, 11, 12 refunded: 3 × 68.04 = 204.12.
        var before = PaidOn20240110Through(P(2024, 12));
        var (refusals, events) = EpisodeChanges.Return(before, D(2024, 3, 10), D(2024, 3, 12), R);

        refusals.ShouldBeEmpty();
        events.Count.ShouldBe(2);
        events[0].ShouldBe(new Returned(D(2024, 3, 10), D(2024, 9, 10)));
        var refund = events[1].ShouldBeOfType<RefundDue>();
        refund.Amount.ShouldBe(204.12m);
        refund.RecordedOn.ShouldBe(D(2024, 3, 12));
        refund.Periods.Select(p => p.Period).ShouldBe([P(2024, 10), P(2024, 11), P(2024, 12)]);

        var account = before.ApplyAll(events);
        account.Paid.Select(p => p.Period).ShouldNotContain(P(2024, 10));
        account.Paid.Select(p => p.Period).ShouldNotContain(P(2024, 12));
        account.PaidThrough.ShouldBe(P(2024, 9));
        account.RefundsTotal.ShouldBe(204.12m);
        On(account, D(2024, 9, 10)).Status.ShouldBe(RightsStatus.Active);
        On(account, D(2024, 9, 11)).End.ShouldNotBeNull().LastCoveredPeriod.ShouldBe(P(2024, 9));
    }

    [Fact]
    public void after_a_return_a_payment_that_would_pass_the_window_is_refused()
    {
        // Paid through 2024-03, returned 2024-03-10 (window through 2024-09).
        var account = Apply(PaidOn20240110Through(P(2024, 3)), EpisodeChanges.Return(PaidOn20240110Through(P(2024, 3)), D(2024, 3, 10), D(2024, 3, 10), R));

        // 7 × 68.04 = 476.28 would pay 2024-04..2024-10: 2024-10 is past the window.
        var (refusals, allocation) = Payments.Decide(account, new RecordPayment(D(2024, 3, 15), 476.28m, "AGRICOLA", "R2", Channel.Online), D(2024, 3, 15), R);
        allocation.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Unprocessable);
        refusal.Field.ShouldBe("amount");

        // 6 × 68.04 = 408.24 pays 2024-04..2024-09 exactly.
        var (ok, paid) = Payments.Decide(account, new RecordPayment(D(2024, 3, 15), 408.24m, "AGRICOLA", "R3", Channel.Online), D(2024, 3, 15), R);
        ok.ShouldBeEmpty();
        paid.ShouldNotBeNull().Advances.Select(p => p.Period).ShouldBe([P(2024, 4), P(2024, 5), P(2024, 6), P(2024, 7), P(2024, 8), P(2024, 9)]);
        paid.Remainder.ShouldBe(0m);
    }

    [Fact]
    public void during_the_window_non_payment_still_lapses_the_episode()
    {
        // Paid through 2024-03, returned 2024-03-10; 2024-04 (due 04-30), 05 (05-31), 06 (06-28) unpaid → lapse 2024-06-29.
        var account = Apply(PaidOn20240110Through(P(2024, 3)), EpisodeChanges.Return(PaidOn20240110Through(P(2024, 3)), D(2024, 3, 10), D(2024, 3, 10), R));

        On(account, D(2024, 6, 28)).Status.ShouldBe(RightsStatus.Arrears);
        var end = On(account, D(2024, 6, 29)).End.ShouldNotBeNull();
        end.ShouldBe(new EpisodeEnd(D(2024, 6, 29), LapseReason.NonPayment, P(2024, 3)));
        // Still the non-payment lapse once the window is over too: it came first.
        On(account, D(2024, 9, 11)).End.ShouldBe(new EpisodeEnd(D(2024, 6, 29), LapseReason.NonPayment, P(2024, 3)));
    }

    [Fact]
    public void a_second_return_is_a_conflict()
    {
        var account = Apply(PaidOn20240110Through(P(2024, 9)), EpisodeChanges.Return(PaidOn20240110Through(P(2024, 9)), D(2024, 3, 10), D(2024, 3, 10), R));

        var (refusals, events) = EpisodeChanges.Return(account, D(2024, 4, 2), D(2024, 4, 2), R);
        events.ShouldBeEmpty();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Conflict);
        refusal.Field.ShouldBe("returnedOn");
    }

    [Fact]
    public void a_return_in_the_future_is_invalid()
    {
        var (refusals, events) = EpisodeChanges.Return(PaidOn20240110Through(P(2024, 9)), D(2024, 3, 11), D(2024, 3, 10), R);
        events.ShouldBeEmpty();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("returnedOn");
    }

    [Fact]
    public void a_return_after_the_episode_lapsed_is_unprocessable()
    {
        // Nothing paid: 2024-01 (01-31), 02 (02-29), 03 (03-27, Holy Week) → lapse 2024-03-28.
        var (refusals, _) = EpisodeChanges.Return(Enrolled2024(), D(2024, 3, 28), D(2024, 3, 28), R);
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Unprocessable);
        refusal.Field.ShouldBe("affiliationNumber");
    }

    // ---- Withdrawal ----

    [Fact]
    public void a_withdrawal_refunds_the_periods_after_the_last_covered_month_and_ends_the_episode()
    {
        // Effective 2024-05-01 (last covered day 04-30), paid through 2024-08:
        // refund 2024-05..2024-08 = 4 × 68.04 = 272.16; Lapsed(2024-05-01, Withdrawal, last covered 2024-04).
        var before = PaidOn20240110Through(P(2024, 8));
        var (refusals, events) = EpisodeChanges.Withdraw(before, D(2024, 5, 1), D(2024, 5, 1), R);

        refusals.ShouldBeEmpty();
        events.Count.ShouldBe(2);
        var refund = events[0].ShouldBeOfType<RefundDue>();
        refund.Amount.ShouldBe(272.16m);
        refund.Periods.Select(p => p.Period).ShouldBe([P(2024, 5), P(2024, 6), P(2024, 7), P(2024, 8)]);
        events[1].ShouldBe(new Lapsed(D(2024, 5, 1), LapseReason.Withdrawal, P(2024, 4)));

        var account = before.ApplyAll(events);
        account.EpisodeOpen.ShouldBeFalse();
        account.RefundsTotal.ShouldBe(272.16m);
        account.Paid.Select(p => p.Period).ShouldBe([P(2024, 1), P(2024, 2), P(2024, 3), P(2024, 4)]);

        // The last covered day is answered as it stood then: 2024-05 .. 08 were still paid (the refund takes effect on 05-01).
        var lastDay = On(account, D(2024, 4, 30));
        lastDay.Status.ShouldBe(RightsStatus.Active);
        lastDay.PaidThrough.ShouldBe(P(2024, 8));
        var after = On(account, D(2024, 5, 1));
        after.Status.ShouldBe(RightsStatus.Lapsed);
        after.End.ShouldBe(new EpisodeEnd(D(2024, 5, 1), LapseReason.Withdrawal, P(2024, 4)));
        EpisodeChanges.Sweep(account, D(2024, 5, 1), R).ShouldBeNull();
    }

    [Fact]
    public void a_withdrawal_in_the_middle_of_a_month_keeps_that_month()
    {
        // Effective 2024-05-15: last covered day 05-14 → 2024-05 kept; refund 2024-06..08 = 3 × 68.04 = 204.12.
        var (refusals, events) = EpisodeChanges.Withdraw(PaidOn20240110Through(P(2024, 8)), D(2024, 5, 15), D(2024, 5, 15), R);
        refusals.ShouldBeEmpty();
        events[0].ShouldBeOfType<RefundDue>().Amount.ShouldBe(204.12m);
        events[1].ShouldBe(new Lapsed(D(2024, 5, 15), LapseReason.Withdrawal, P(2024, 5)));
    }

    [Fact]
    public void a_withdrawal_with_nothing_paid_ahead_refunds_nothing()
    {
        // Paid through 2024-03, effective 2024-04-15: nothing after 2024-04 paid; last covered = 2024-03 (paid through).
        var (refusals, events) = EpisodeChanges.Withdraw(PaidOn20240110Through(P(2024, 3)), D(2024, 4, 15), D(2024, 4, 15), R);
        refusals.ShouldBeEmpty();
        events.ShouldHaveSingleItem().ShouldBe(new Lapsed(D(2024, 4, 15), LapseReason.Withdrawal, P(2024, 3)));
    }

    [Fact]
    public void a_withdrawal_of_an_episode_already_ended_is_unprocessable()
    {
        var account = PaidOn20240110Through(P(2024, 8));
        var ended = Apply(account, EpisodeChanges.Withdraw(account, D(2024, 5, 1), D(2024, 5, 1), R));

        var (refusals, events) = EpisodeChanges.Withdraw(ended, D(2024, 6, 1), D(2024, 6, 1), R);
        events.ShouldBeEmpty();
        refusals.ShouldHaveSingleItem().Kind.ShouldBe(RefusalKind.Unprocessable);
    }
}
