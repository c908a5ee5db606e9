using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Contributions;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Shouldly;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// Issue 17: a withdrawal or a return follows the same rules as a lapse. Money never pays a period after the
/// last payable one; money dated before the end but recorded after it is judged as of its date; an answer about
/// a date depends only on what had happened by then. Enrolled 2026-05-10, first period 2026-06, 68.04 a month;
/// 408.24 paid on 2026-06-15 pays 2026-06 .. 2026-11.
/// </summary>
public sealed class CoverageEndTests
{
    private const decimal Rate = 68.04m;
    private static readonly Regime R = Regime.Default;

    private static Account PaidThroughNovember() =>
        NewAccount(Enrolled(D(2026, 5, 10), P(2026, 6))).Pay(D(2026, 6, 15), 6 * Rate, "R1");

    private static Account After(Account account, (IReadOnlyList<Refusal> Refusals, IReadOnlyList<object> Events) decision)
    {
        decision.Refusals.ShouldBeEmpty();
        return account.ApplyAll(decision.Events);
    }

    private static RecordPayment Payment(LocalDate paidOn, decimal amount, string reference = "R2") =>
        new(paidOn, amount, "AGRICOLA", reference, Channel.Online);

    private static BankFileLine Line(LocalDate paidOn, decimal amount) =>
        new(2, "AGRICOLA", "R2", paidOn.AtStartOfDayInZone(Calendar.ElSalvador.TimeZone).ToInstant().Plus(Duration.FromHours(10)),
            "100000017", amount, Channel.Online);

    private static Account Withdrawn(LocalDate effectiveOn, LocalDate today) =>
        After(PaidThroughNovember(), EpisodeChanges.Withdraw(PaidThroughNovember(), effectiveOn, today, R));

    [Fact]
    public void money_recorded_after_a_withdrawal_pays_up_to_the_month_of_the_last_covered_day_and_no_further()
    {
        // Withdrawal effective 2026-12-15, recorded 2026-12-20: the last covered day is 12-14, so 2026-12 is payable, 2027-01 not.
        var account = Withdrawn(D(2026, 12, 15), D(2026, 12, 20));

        // 136.08 dated 2026-11-23 would pay 2026-12 and 2027-01.
        var refused = Payments.Decide(account, Payment(D(2026, 11, 23), 2 * Rate), D(2026, 12, 20), R);
        refused.Allocation.ShouldBeNull();
        var refusal = refused.Refusals.ShouldHaveSingleItem();
        (refusal.Kind, refusal.Field).ShouldBe((RefusalKind.Unprocessable, "amount"));

        var line = BankFileDecisions.Decide(Line(D(2026, 11, 23), 2 * Rate), account, R);
        line.Outcome.ShouldBe(LineOutcome.PartlyBeyondAdvanceLimit);
        (line.Recorded.Contributions, line.Recorded.Refund).ShouldBe((Rate, Rate));
        line.Allocation!.Periods.Select(p => p.Period).ShouldBe([P(2026, 12)]);

        var (ok, paid) = Payments.Decide(account, Payment(D(2026, 11, 23), Rate), D(2026, 12, 20), R);
        ok.ShouldBeEmpty();
        paid!.Advances.Select(p => p.Period).ShouldBe([P(2026, 12)]);
    }

    [Fact]
    public void a_back_dated_withdrawal_refuses_money_for_the_months_after_it()
    {
        // Enrolled 2018-01-10, 2018-02 and 03 paid; withdrawal effective 2018-06-15 recorded much later.
        var before = Enrolled2018().Pay(D(2018, 2, 5), 2 * 55.92m, "R1");
        var account = After(before, EpisodeChanges.Withdraw(before, D(2018, 6, 15), D(2026, 11, 23), R));

        // 279.60 dated 2018-04-10 would pay 2018-04 .. 08; only 04 .. 06 are payable (last covered day 06-14).
        Payments.Decide(account, Payment(D(2018, 4, 10), 5 * 55.92m), D(2026, 11, 23), R).Refusals
            .ShouldHaveSingleItem().Kind.ShouldBe(RefusalKind.Unprocessable);
        var line = BankFileDecisions.Decide(Line(D(2018, 4, 10), 5 * 55.92m), account, R);
        (line.Outcome, line.Recorded.Refund).ShouldBe((LineOutcome.PartlyBeyondAdvanceLimit, 2 * 55.92m));
        // Money dated on the withdrawal day itself has no open episode.
        Payments.Decide(account, Payment(D(2018, 6, 15), 55.92m), D(2026, 11, 23), R).Refusals
            .ShouldHaveSingleItem().Field.ShouldBe("affiliationNumber");
    }

    [Fact]
    public void after_a_withdrawal_covered_through_counts_money_dated_before_it_and_recorded_after_it()
    {
        // Enrolled 2018-01-10, nothing paid; withdrawal effective 2018-03-20: nothing covered yet.
        var account = After(Enrolled2018(), EpisodeChanges.Withdraw(Enrolled2018(), D(2018, 3, 20), D(2018, 3, 25), R));
        Standing.On(account, D(2018, 3, 25), R).CoveredThrough.ShouldBeNull();

        // Then 2018-02 paid on 2018-02-20 arrives: covered through 2018-02 after the withdrawal.
        var decision = Payments.Decide(account, Payment(D(2018, 2, 20), 55.92m), D(2018, 3, 25), R);
        decision.Refusals.ShouldBeEmpty();
        var paid = account.ApplyAll(decision.Events);
        var after = Standing.On(paid, D(2018, 3, 25), R);
        (after.Status, after.CoveredThrough).ShouldBe((RightsStatus.Lapsed, P(2018, 2)));
    }

    [Fact]
    public void the_last_covered_period_of_a_recorded_withdrawal_counts_money_dated_before_it_and_recorded_after_it()
    {
        // Attacker's defect 6: enrolled 2026-11-10 (first period 2026-12), nothing paid, withdrawal effective 2026-12-03;
        // then 68.04 dated 2026-12-02 pays 2026-12. The Lapsed event said "nothing covered"; the money as it stands says 2026-12.
        var enrolled = NewAccount(Enrolled(D(2026, 11, 10), P(2026, 12)));
        var withdrawn = After(enrolled, EpisodeChanges.Withdraw(enrolled, D(2026, 12, 3), D(2026, 12, 3), R));
        EpisodeEnd.Recorded(withdrawn, withdrawn.Episodes[0])!.LastCoveredPeriod.ShouldBeNull();

        var decision = Payments.Decide(withdrawn, Payment(D(2026, 12, 2), Rate), D(2026, 12, 6), R);
        decision.Refusals.ShouldBeEmpty();
        var paid = withdrawn.ApplyAll(decision.Events);

        paid.Episodes[0].LastCoveredPeriod.ShouldBeNull(); // as the event recorded it
        var end = EpisodeEnd.Recorded(paid, paid.Episodes[0]).ShouldNotBeNull();
        (end.EffectiveOn, end.Reason, end.LastCoveredPeriod).ShouldBe((D(2026, 12, 3), LapseReason.Withdrawal, P(2026, 12)));
        // The one definition: the rights answer's covered-through period after the end is the same.
        Standing.On(paid, D(2026, 12, 6), R).CoveredThrough.ShouldBe(end.LastCoveredPeriod);
        EpisodeEnd.Recorded(enrolled, enrolled.Episodes[0]).ShouldBeNull(); // no end recorded: none
    }

    [Fact]
    public void after_a_return_the_advance_capacity_stops_at_the_window()
    {
        // Returned 2026-11-20: covered until 2027-05-20, so on 2026-11-23 the last payable period is 2027-05 (not 2027-11),
        // and 2026-12 .. 2027-05 are 6 months.
        var account = After(PaidThroughNovember(), EpisodeChanges.Return(PaidThroughNovember(), D(2026, 11, 20), D(2026, 11, 20), R));

        AdvanceCapacity.On(account, D(2026, 11, 23), Rules).ShouldBe(new AdvanceCapacity(P(2027, 5), 6));
        Payments.Decide(account, Payment(D(2026, 11, 23), 7 * Rate), D(2026, 11, 23), R).Refusals.ShouldHaveSingleItem().Field.ShouldBe("amount");
        Payments.Decide(account, Payment(D(2026, 11, 23), 6 * Rate), D(2026, 11, 23), R).Refusals.ShouldBeEmpty();
    }

    [Fact]
    public void a_return_recorded_later_does_not_change_the_answer_about_a_date_before_it()
    {
        // Enrolled 2025-01-20; 816.48 on 2025-02-10 pays 2025-02 .. 2026-01; returned 2025-03-15 (window to 2025-09-15).
        var before = NewAccount(Enrolled(D(2025, 1, 20), P(2025, 2))).Pay(D(2025, 2, 10), 12 * Rate, "R1");
        Standing.On(before, D(2025, 3, 1), R).CoveredThrough.ShouldBe(P(2026, 1));
        var account = After(before, EpisodeChanges.Return(before, D(2025, 3, 15), D(2026, 11, 23), R));

        account.Refunds.ShouldHaveSingleItem().EffectiveOn.ShouldBe(D(2025, 3, 15));
        Standing.On(account, D(2025, 3, 1), R).CoveredThrough.ShouldBe(P(2026, 1));     // as it stood that day
        Standing.On(account, D(2025, 3, 14), R).PaidThrough.ShouldBe(P(2026, 1));
        Standing.On(account, D(2025, 3, 15), R).CoveredThrough.ShouldBe(P(2025, 9));    // from the return on
        Standing.On(account, D(2025, 3, 15), R).PaidThrough.ShouldBe(P(2025, 9));
        var lapsed = Standing.On(account, D(2025, 9, 16), R);
        (lapsed.Status, lapsed.CoveredThrough).ShouldBe((RightsStatus.Lapsed, P(2025, 9)));
    }

    [Fact]
    public void a_withdrawal_cannot_be_dated_in_the_future_like_a_return()
    {
        var (refusals, events) = EpisodeChanges.Withdraw(PaidThroughNovember(), D(2026, 12, 15), D(2026, 11, 23), R);
        events.ShouldBeEmpty();
        (refusals.ShouldHaveSingleItem().Kind, refusals[0].Field).ShouldBe((RefusalKind.Invalid, "effectiveOn"));
        // Its first day without coverage may be today.
        EpisodeChanges.Withdraw(PaidThroughNovember(), D(2026, 11, 23), D(2026, 11, 23), R).Refusals.ShouldBeEmpty();
    }

    [Fact]
    public void a_withdrawal_or_return_that_would_end_coverage_before_money_already_paid_is_a_conflict()
    {
        // Paid on 2026-06-15: a withdrawal from that day on, or a return whose window ended before it, contradicts it.
        var withdrawal = EpisodeChanges.Withdraw(PaidThroughNovember(), D(2026, 6, 15), D(2026, 11, 23), R).Refusals.ShouldHaveSingleItem();
        (withdrawal.Kind, withdrawal.Field).ShouldBe((RefusalKind.Conflict, "effectiveOn"));
        EpisodeChanges.Withdraw(PaidThroughNovember(), D(2026, 6, 16), D(2026, 11, 23), R).Refusals.ShouldBeEmpty();

        var early = NewAccount(Enrolled(D(2025, 1, 20), P(2025, 2))).Pay(D(2025, 9, 20), 8 * Rate + 8 * 6.80m, "R1");
        var ret = EpisodeChanges.Return(early, D(2025, 3, 15), D(2026, 11, 23), R).Refusals.ShouldHaveSingleItem();
        (ret.Kind, ret.Field).ShouldBe((RefusalKind.Conflict, "returnedOn"));
    }

    [Fact]
    public void covered_through_means_the_last_period_with_rights_paid_for_in_every_status()
    {
        var account = PaidThroughNovember();
        // Active: the later of the paid-through period and the month in course.
        Standing.On(account, D(2026, 7, 1), R).CoveredThrough.ShouldBe(P(2026, 11));
        // Arrears: the last period paid (2026-12, due 12-31, is overdue on 2027-01-01); rights are suspended.
        var arrears = Standing.On(account, D(2027, 1, 1), R);
        (arrears.Status, arrears.CoveredThrough).ShouldBe((RightsStatus.Arrears, P(2026, 11)));
        // Lapsed (2026-12, 2027-01, 2027-02 unpaid): the last period the episode covered.
        var lapsed = Standing.On(account, D(2027, 3, 1), R);
        (lapsed.Status, lapsed.CoveredThrough).ShouldBe((RightsStatus.Lapsed, P(2026, 11)));
    }

    [Fact]
    public void between_two_episodes_covered_through_is_the_last_period_of_the_previous_one()
    {
        // Withdrawal effective 2026-12-01 (last covered 2026-11), enrolled again 2026-12-10: first period 2027-01.
        var ended = Withdrawn(D(2026, 12, 1), D(2026, 12, 1));
        var command = new Enrolment.Enrol("04567890-3", "Ana María López", D(1985, 6, 2), "US", null, D(2026, 12, 10), null,
            new EligibilityChecks(true, true, true), []);
        var account = ended.ApplyAll(Enrolment.Enrolment.Decide(command, ended, "100000017", R));

        var between = Standing.On(account, D(2026, 12, 20), R);
        (between.Status, between.CoveredThrough).ShouldBe((RightsStatus.Lapsed, P(2026, 11)));
        // Payments in advance for the new episode are accepted, so the capacity is open.
        AdvanceCapacity.On(account, D(2026, 12, 20), Rules).ShouldBe(new AdvanceCapacity(P(2027, 12), 12));
    }

    [Fact]
    public void credit_left_at_a_withdrawal_stays_on_the_account_and_pays_the_first_period_of_a_new_episode()
    {
        // 20.00 of credit kept with the last payment; withdrawal effective 2026-12-01; new episode from 2027-01.
        var withCredit = NewAccount(Enrolled(D(2026, 5, 10), P(2026, 6))).Pay(D(2026, 6, 15), 6 * Rate + 20m, "R1");
        var ended = After(withCredit, EpisodeChanges.Withdraw(withCredit, D(2026, 12, 1), D(2026, 12, 1), R));
        ended.Credit.ShouldBe(20m);
        ended.RefundsTotal.ShouldBe(0m);

        var command = new Enrolment.Enrol("04567890-3", "Ana María López", D(1985, 6, 2), "US", null, D(2026, 12, 10), null,
            new EligibilityChecks(true, true, true), []);
        var account = ended.ApplyAll(Enrolment.Enrolment.Decide(command, ended, "100000017", R));
        // 48.04 + the 20.00 of credit pays 2027-01 in advance.
        var (refusals, allocation) = Payments.Decide(account, Payment(D(2026, 12, 15), 48.04m), D(2026, 12, 15), R);
        refusals.ShouldBeEmpty();
        (allocation!.CreditApplied, allocation.Advances.Single().Period, allocation.Remainder).ShouldBe((20m, P(2027, 1), 0m));
    }
}
