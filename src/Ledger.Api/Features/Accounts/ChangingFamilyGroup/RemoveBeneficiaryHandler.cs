using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Wolverine;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public static class RemoveBeneficiaryHandler
{
    public static (AccountChange, Events, OutgoingMessages) Handle(
        RemoveBeneficiary command,
        [WriteAggregate(nameof(RemoveBeneficiary.AffiliationNumber), Required = false)] Account? account,
        IClock clock,
        Regime regime
    )
    {
        var today = ElSalvador.Today(clock);
        return AccountChange.Decide(
            command,
            account,
            clock,
            regime,
            RightsChangeCause.BeneficiaryRemoved,
            a =>
            {
                var (refusals, removed) = FamilyGroup.Remove(
                    a,
                    command.BeneficiaryId,
                    command.EffectiveOn ?? today,
                    today
                );
                return (refusals, removed is null ? [] : [removed]);
            }
        );
    }
}
