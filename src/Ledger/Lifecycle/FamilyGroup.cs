using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Lifecycle;

/// <summary>Changes to the family group (núcleo familiar): at most one spouse at a time, children under the age
/// limit.</summary>
public static class FamilyGroup
{
    public static (IReadOnlyList<Refusal> Refusals, BeneficiaryAdded? Event) Add(
        Account account,
        Beneficiary beneficiary,
        LocalDate effectiveOn,
        LocalDate today,
        Regime regime
    )
    {
        var refusals = new List<Refusal>();
        if (effectiveOn > today)
            refusals.Add(Refusal.Invalid("effectiveOn", "The change cannot take effect in the future."));
        refusals.AddRange(
            Enrolment
                .Enrolment.CheckBeneficiaries([beneficiary], effectiveOn, regime.Rules)
                .Select(r => r with { Field = r.Field.Replace("beneficiaries[0].", "") })
        );
        // A spouse whose membership reaches the effective date (not removed, or removed after it) would overlap.
        if (
            beneficiary.Relationship == Relationship.Spouse
            && account.Beneficiaries.Any(b =>
                b.Beneficiary.Relationship == Relationship.Spouse && (b.Until is null || b.Until > effectiveOn)
            )
        )
            refusals.Add(
                Refusal.Conflict(
                    "relationship",
                    "The family group already has a spouse or life partner; remove them first."
                )
            );
        if (refusals.Count == 0 && EpisodeEnd.On(account, account.CurrentEpisode, effectiveOn, regime) is not null)
            refusals.Add(Refusal.Unprocessable("affiliationNumber", "The coverage episode has ended."));
        return refusals.Count > 0 ? (refusals, null) : ([], new BeneficiaryAdded(beneficiary, effectiveOn));
    }

    public static (IReadOnlyList<Refusal> Refusals, BeneficiaryRemoved? Event) Remove(
        Account account,
        Guid beneficiaryId,
        LocalDate effectiveOn,
        LocalDate today
    )
    {
        var entry = account.Beneficiaries.FirstOrDefault(b => b.Beneficiary.Id == beneficiaryId && b.Until is null);
        if (entry is null)
            return ([new Refusal(RefusalKind.NotFound, "beneficiaryId", "No current beneficiary has this id.")], null);
        if (effectiveOn > today)
            return ([Refusal.Invalid("effectiveOn", "The change cannot take effect in the future.")], null);
        if (effectiveOn < entry.From)
            return (
                [Refusal.Invalid("effectiveOn", "The removal cannot take effect before the beneficiary was added.")],
                null
            );
        return ([], new BeneficiaryRemoved(beneficiaryId, effectiveOn));
    }
}
