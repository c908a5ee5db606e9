using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Lifecycle;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

/// <summary>
/// SPEC §1 Beneficiaries: at most one spouse or life partner, children under 12 (covered until the day before
/// the 12th birthday). Enrolled 2023-12-20 with spouse Rosa, first period 2024-01, paid 2024-01..2024-12 on
/// 2024-01-10 (so the episode is open all year).
/// </summary>
public class FamilyGroupTests
{
    private const decimal Rate = 68.04m;
    private static readonly Regime R = Regime.Default;
    private static readonly Beneficiary Rosa = new(Guid.Parse("11111111-1111-1111-1111-111111111111"), "Rosa Pérez", D(1987, 1, 20), Relationship.Spouse);
    private static readonly Beneficiary Marta = new(Guid.Parse("22222222-2222-2222-2222-222222222222"), "Marta Díaz", D(1990, 8, 3), Relationship.Spouse);

    private static Beneficiary Child(LocalDate birth) => new(Guid.NewGuid(), "Luis López", birth, Relationship.Child);

    private static Account WithRosa()
    {
        var advances = new List<PeriodPayment>();
        for (var p = P(2024, 2); p <= P(2024, 12); p = p.PlusMonths(1)) advances.Add(new PeriodPayment(p, Rate, 0, 0m, 0m));
        return NewAccount(Enrolled(D(2023, 12, 20), P(2024, 1), [Rosa])).ApplyAll([
            PaidOnTime(D(2024, 1, 10), "R1", (P(2024, 1), Rate)),
            new AdvancePaid(Source(D(2024, 1, 10), "R1"), advances),
        ]);
    }

    private static Account Removed(Account account, Guid id, LocalDate on)
    {
        var (refusals, removed) = FamilyGroup.Remove(account, id, on, on);
        refusals.ShouldBeEmpty();
        return account.After(removed.ShouldNotBeNull());
    }

    [Fact]
    public void a_second_spouse_is_a_conflict_while_the_first_is_current()
    {
        var (refusals, added) = FamilyGroup.Add(WithRosa(), Marta, D(2024, 3, 1), D(2024, 3, 10), R);
        added.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Conflict);
        refusal.Field.ShouldBe("relationship");
    }

    [Fact]
    public void a_spouse_is_accepted_after_the_first_is_removed()
    {
        var account = Removed(WithRosa(), Rosa.Id, D(2024, 3, 1));

        var (refusals, added) = FamilyGroup.Add(account, Marta, D(2024, 3, 5), D(2024, 3, 10), R);
        refusals.ShouldBeEmpty();
        added.ShouldBe(new BeneficiaryAdded(Marta, D(2024, 3, 5)));
    }

    [Fact]
    public void a_spouse_is_accepted_from_the_day_the_first_is_removed()
    {
        // Rosa's membership ends before 2024-03-01 (Until is exclusive); Marta from 2024-03-01 does not overlap.
        var account = Removed(WithRosa(), Rosa.Id, D(2024, 3, 1));
        var (refusals, _) = FamilyGroup.Add(account, Marta, D(2024, 3, 1), D(2024, 3, 10), R);
        refusals.ShouldBeEmpty();
    }

    [Fact]
    public void a_spouse_dated_before_the_removal_of_the_first_is_a_conflict()
    {
        // Rosa removed from 2024-03-05; Marta backdated to 2024-03-01 would make two spouses on 03-01..03-04.
        var account = Removed(WithRosa(), Rosa.Id, D(2024, 3, 5));

        var (refusals, added) = FamilyGroup.Add(account, Marta, D(2024, 3, 1), D(2024, 3, 10), R);
        added.ShouldBeNull();
        refusals.ShouldHaveSingleItem().Kind.ShouldBe(RefusalKind.Conflict);
    }

    [Fact]
    public void a_child_who_is_twelve_on_the_effective_date_is_refused()
    {
        // Born 2012-05-10: 12 on 2024-05-10.
        var (refusals, added) = FamilyGroup.Add(WithRosa(), Child(D(2012, 5, 10)), D(2024, 5, 10), D(2024, 5, 10), R);
        added.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("birthDate");
    }

    [Fact]
    public void a_child_is_accepted_the_day_before_the_twelfth_birthday()
    {
        // Born 2012-05-10: 11 on 2024-05-09.
        var child = Child(D(2012, 5, 10));
        var (refusals, added) = FamilyGroup.Add(WithRosa(), child, D(2024, 5, 9), D(2024, 5, 10), R);
        refusals.ShouldBeEmpty();
        added.ShouldBe(new BeneficiaryAdded(child, D(2024, 5, 9)));
    }

    [Fact]
    public void a_birth_date_in_the_future_is_refused()
    {
        var (refusals, added) = FamilyGroup.Add(WithRosa(), Child(D(2024, 5, 21)), D(2024, 5, 20), D(2024, 5, 20), R);
        added.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("birthDate");
    }

    [Fact]
    public void a_newborn_is_accepted_on_the_day_of_birth()
    {
        var (refusals, _) = FamilyGroup.Add(WithRosa(), Child(D(2024, 5, 20)), D(2024, 5, 20), D(2024, 5, 20), R);
        refusals.ShouldBeEmpty();
    }

    [Fact]
    public void a_change_dated_in_the_future_is_invalid()
    {
        var (refusals, _) = FamilyGroup.Add(WithRosa(), Child(D(2020, 1, 1)), D(2024, 5, 21), D(2024, 5, 20), R);
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Field.ShouldBe("effectiveOn");

        var (removeRefusals, removed) = FamilyGroup.Remove(WithRosa(), Rosa.Id, D(2024, 5, 21), D(2024, 5, 20));
        removed.ShouldBeNull();
        removeRefusals.ShouldHaveSingleItem().Field.ShouldBe("effectiveOn");
    }

    [Fact]
    public void removing_an_unknown_beneficiary_is_not_found()
    {
        var (refusals, removed) = FamilyGroup.Remove(WithRosa(), Guid.Parse("33333333-3333-3333-3333-333333333333"), D(2024, 3, 1), D(2024, 3, 1));
        removed.ShouldBeNull();
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.NotFound);
        refusal.Field.ShouldBe("beneficiaryId");
    }

    [Fact]
    public void removing_a_beneficiary_already_removed_is_not_found()
    {
        var account = Removed(WithRosa(), Rosa.Id, D(2024, 3, 1));
        FamilyGroup.Remove(account, Rosa.Id, D(2024, 3, 2), D(2024, 3, 2)).Refusals.ShouldHaveSingleItem().Kind.ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void adding_to_an_episode_that_has_ended_is_unprocessable()
    {
        // Nothing paid: lapse on 2024-03-28 (2024-03 due 03-27, Holy Week).
        var account = NewAccount(Enrolled(D(2023, 12, 20), P(2024, 1)));
        var (refusals, _) = FamilyGroup.Add(account, Child(D(2020, 1, 1)), D(2024, 3, 28), D(2024, 3, 28), R);
        var refusal = refusals.ShouldHaveSingleItem();
        refusal.Kind.ShouldBe(RefusalKind.Unprocessable);
        refusal.Field.ShouldBe("affiliationNumber");
    }

    [Fact]
    public void the_family_group_on_a_date_follows_the_from_and_until_dates()
    {
        var child = Child(D(2012, 5, 10));
        var account = Removed(WithRosa(), Rosa.Id, D(2024, 3, 1));
        account = account.After(new BeneficiaryAdded(Marta, D(2024, 3, 5)));
        account = account.After(new BeneficiaryAdded(child, D(2024, 5, 9)));

        account.BeneficiariesOn(D(2023, 12, 19)).ShouldBeEmpty();                 // before the enrolment
        account.BeneficiariesOn(D(2023, 12, 20)).ShouldBe([Rosa]);                // from the enrolment day
        account.BeneficiariesOn(D(2024, 2, 29)).ShouldBe([Rosa]);                 // the last day before her removal
        account.BeneficiariesOn(D(2024, 3, 1)).ShouldBeEmpty();                   // removal day: no longer a member
        account.BeneficiariesOn(D(2024, 3, 4)).ShouldBeEmpty();
        account.BeneficiariesOn(D(2024, 3, 5)).ShouldBe([Marta]);
        account.BeneficiariesOn(D(2024, 5, 8)).ShouldBe([Marta]);
        account.BeneficiariesOn(D(2024, 5, 9)).ShouldBe([Marta, child]);
        account.CurrentBeneficiaries.ShouldBe([Marta, child]);
    }
}
