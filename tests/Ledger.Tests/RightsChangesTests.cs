using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Rights;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class RightsChangesTests
{
    private static readonly Regime Regime = Regime.Default;

    private static IReadOnlyList<RightsChange> OnDay(Account account, LocalDate day) =>
        RightsChanges.OnDay(account, day, Regime);

    /// <summary>Enrolled 2023-12-10, first period 2024-01, periods 2024-01 to <paramref name="through"/> paid on
    /// 2023-12-20.</summary>
    private static Account Paid2024Through(int month, IReadOnlyList<Beneficiary>? beneficiaries = null)
    {
        var account = NewAccount(Enrolled(D(2023, 12, 10), P(2024, 1), beneficiaries));
        var periods = Enumerable.Range(1, month).Select(m => (P(2024, m), 68.04m)).ToArray();
        return account.ApplyAll([PaidOnTime(D(2023, 12, 20), "r-2024", periods)]) with { Version = 2 };
    }

    [Fact]
    public void spec_payment_of_the_late_february_restores_rights_once()
    {
        // SPEC §6: 2018-02 unpaid on 2018-03-05 is in arrears; 58.72 paid that day restores rights.
        var before = Enrolled2018() with { Version = 1 };
        var after = before.Pay(D(2018, 3, 5), 58.72m, "000912345") with { Version = 2 };

        var change = RightsChanges
            .Between(before, after, D(2018, 3, 5), Regime, RightsChangeCause.Payment)
            .ShouldHaveSingleItem();

        change.AffiliationNumber.ShouldBe("100000017");
        change.BeneficiaryId.ShouldBeNull();
        change.From.ShouldBe(RightsStatus.Arrears);
        change.To.ShouldBe(RightsStatus.Active);
        change.EffectiveOn.ShouldBe(D(2018, 3, 5));
        change.Cause.ShouldBe(RightsChangeCause.Payment);
    }

    [Fact]
    public void a_payment_on_time_changes_no_standing()
    {
        var before = Enrolled2018() with { Version = 1 };
        var after = before.Pay(D(2018, 2, 10), 55.92m, "000912345") with { Version = 2 };

        RightsChanges.Between(before, after, D(2018, 2, 10), Regime, RightsChangeCause.Payment).ShouldBeEmpty();
    }

    [Fact]
    public void an_enrolment_before_its_first_period_changes_no_standing()
    {
        var account = Enrolled2018() with { Version = 1 };

        RightsChanges.Between(null, account, D(2018, 1, 10), Regime, RightsChangeCause.Enrolment).ShouldBeEmpty();
    }

    [Fact]
    public void coverage_begins_on_the_first_day_of_the_first_period()
    {
        OnDay(Enrolled2018(), D(2018, 1, 31)).ShouldBeEmpty();

        var change = OnDay(Enrolled2018(), D(2018, 2, 1)).ShouldHaveSingleItem();
        change.From.ShouldBe(RightsStatus.NotCovered);
        change.To.ShouldBe(RightsStatus.Active);
        change.Cause.ShouldBe(RightsChangeCause.CoverageBegan);
    }

    [Fact]
    public void arrears_begin_the_day_after_the_due_date_at_a_month_end()
    {
        // 2018-02 is due on Wednesday 2018-02-28, the month's last day.
        OnDay(Enrolled2018(), D(2018, 2, 28)).ShouldBeEmpty();

        var change = OnDay(Enrolled2018(), D(2018, 3, 1)).ShouldHaveSingleItem();
        change.From.ShouldBe(RightsStatus.Active);
        change.To.ShouldBe(RightsStatus.Arrears);
        change.EffectiveOn.ShouldBe(D(2018, 3, 1));
        change.Cause.ShouldBe(RightsChangeCause.DueDatePassed);
        OnDay(Enrolled2018(), D(2018, 3, 2)).ShouldBeEmpty();
    }

    [Fact]
    public void in_a_leap_year_arrears_begin_on_the_twenty_ninth_when_the_twenty_eighth_is_the_last_business_day()
    {
        // 2020-02-29 is a Saturday: 2020-02 is due on Friday the 28th, so arrears begin on the 29th.
        var account = NewAccount(Enrolled(D(2020, 1, 10), P(2020, 2)));

        OnDay(account, D(2020, 2, 28)).ShouldBeEmpty();
        OnDay(account, D(2020, 2, 29)).ShouldHaveSingleItem().To.ShouldBe(RightsStatus.Arrears);
        OnDay(account, D(2020, 3, 1)).ShouldBeEmpty();
    }

    [Fact]
    public void a_due_date_moved_back_by_a_weekend_month_end_starts_arrears_before_the_month_ends()
    {
        // 2018-09-30 is a Sunday: 2018-09 is due on Friday the 28th.
        var account = NewAccount(Enrolled(D(2018, 8, 10), P(2018, 9)));

        OnDay(account, D(2018, 9, 29)).ShouldHaveSingleItem().Cause.ShouldBe(RightsChangeCause.DueDatePassed);
        OnDay(account, D(2018, 10, 1)).ShouldBeEmpty();
    }

    [Fact]
    public void the_third_unpaid_period_lapses_the_episode_the_day_after_its_due_date()
    {
        // 2018-02, 03 and 04 unpaid; 2018-04 is due on Monday 2018-04-30.
        OnDay(Enrolled2018(), D(2018, 4, 30)).ShouldBeEmpty();

        var change = OnDay(Enrolled2018(), D(2018, 5, 1)).ShouldHaveSingleItem();
        change.From.ShouldBe(RightsStatus.Arrears);
        change.To.ShouldBe(RightsStatus.Lapsed);
        change.Cause.ShouldBe(RightsChangeCause.Lapse);
    }

    [Fact]
    public void recording_the_lapse_the_rules_already_gave_is_no_second_change()
    {
        var before = Enrolled2018() with { Version = 1 };
        var after = before.After(new Lapsed(D(2018, 5, 1), LapseReason.NonPayment, null)) with { Version = 2 };

        RightsChanges.Between(before, after, D(2018, 5, 1), Regime, RightsChangeCause.Lapse).ShouldBeEmpty();
    }

    [Fact]
    public void a_return_window_ends_the_day_after_its_last_covered_day()
    {
        // Returned on 2024-03-10: covered through 2024-09-10, lapsed from 2024-09-11.
        var account = Paid2024Through(9).After(new Returned(D(2024, 3, 10), D(2024, 9, 10)));

        OnDay(account, D(2024, 9, 10)).ShouldBeEmpty();
        var change = OnDay(account, D(2024, 9, 11)).ShouldHaveSingleItem();
        change.From.ShouldBe(RightsStatus.Active);
        change.To.ShouldBe(RightsStatus.Lapsed);
        change.Cause.ShouldBe(RightsChangeCause.ReturnWindowEnded);
    }

    [Fact]
    public void a_child_born_on_the_twenty_ninth_of_february_is_covered_through_the_twenty_eighth_of_the_twelfth_year()
    {
        var child = new Beneficiary(Guid.NewGuid(), "Luis López", D(2012, 2, 29), Relationship.Child);
        var account = Paid2024Through(3, [child]);

        OnDay(account, D(2024, 2, 28)).ShouldBeEmpty();
        var change = OnDay(account, D(2024, 2, 29)).ShouldHaveSingleItem();
        change.BeneficiaryId.ShouldBe(child.Id);
        change.BeneficiaryName.ShouldBe("Luis López");
        change.From.ShouldBe(RightsStatus.Active);
        change.To.ShouldBe(RightsStatus.NotCovered);
        change.Cause.ShouldBe(RightsChangeCause.ChildAgeLimit);
    }

    [Fact]
    public void beneficiaries_follow_the_insured_into_arrears()
    {
        var spouse = new Beneficiary(Guid.NewGuid(), "Carlos López", D(1984, 1, 1), Relationship.Spouse);
        var account = Paid2024Through(1, [spouse]);

        var changes = OnDay(account, D(2024, 3, 1));

        changes.Count.ShouldBe(2);
        changes[0].BeneficiaryId.ShouldBeNull();
        changes[1].BeneficiaryId.ShouldBe(spouse.Id);
        changes.ShouldAllBe(c => c.From == RightsStatus.Active && c.To == RightsStatus.Arrears);
        changes.ShouldAllBe(c => c.Cause == RightsChangeCause.DueDatePassed);
        changes[0].Id.ShouldNotBe(changes[1].Id);
    }

    [Fact]
    public void adding_and_removing_a_beneficiary_changes_that_beneficiary_only()
    {
        var before = Paid2024Through(3);
        var child = new Beneficiary(Guid.NewGuid(), "Sofía López", D(2020, 5, 1), Relationship.Child);
        var added = before.After(new BeneficiaryAdded(child, D(2024, 2, 10))) with { Version = 3 };

        var change = RightsChanges
            .Between(before, added, D(2024, 2, 10), Regime, RightsChangeCause.BeneficiaryAdded)
            .ShouldHaveSingleItem();
        change.BeneficiaryId.ShouldBe(child.Id);
        (change.From, change.To).ShouldBe((RightsStatus.NotCovered, RightsStatus.Active));

        var removed = added.After(new BeneficiaryRemoved(child.Id, D(2024, 2, 20))) with { Version = 4 };
        var removal = RightsChanges
            .Between(added, removed, D(2024, 2, 20), Regime, RightsChangeCause.BeneficiaryRemoved)
            .ShouldHaveSingleItem();
        (removal.From, removal.To).ShouldBe((RightsStatus.Active, RightsStatus.NotCovered));
    }

    [Fact]
    public void the_same_day_swept_twice_gives_the_same_ids_and_another_version_other_ids()
    {
        OnDay(Enrolled2018(), D(2018, 3, 1)).Single().Id.ShouldBe(OnDay(Enrolled2018(), D(2018, 3, 1)).Single().Id);

        var before = Enrolled2018() with { Version = 1 };
        var paid = before.Pay(D(2018, 3, 5), 58.72m, "000912345");
        var atTwo = RightsChanges.Between(before, paid with { Version = 2 }, D(2018, 3, 5), Regime, "Payment");
        var atThree = RightsChanges.Between(before, paid with { Version = 3 }, D(2018, 3, 5), Regime, "Payment");
        atTwo.Single().Id.ShouldNotBe(atThree.Single().Id);
        atTwo.Single().Id.ShouldBe(RightsChanges.Between(before, paid with { Version = 2 }, D(2018, 3, 5), Regime, "Payment").Single().Id);
    }

    [Fact]
    public void a_far_date_with_nothing_happening_changes_nothing()
    {
        var lapsed = Enrolled2018();
        OnDay(lapsed, D(2199, 12, 31)).ShouldBeEmpty();
        OnDay(lapsed, D(1900, 1, 2)).ShouldBeEmpty();
    }
}
