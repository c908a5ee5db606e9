using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Wolverine;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public static class AddBeneficiaryHandler
{
    public static (AccountChange, Events, OutgoingMessages) Handle(
        AddBeneficiary command,
        [WriteAggregate(nameof(AddBeneficiary.AffiliationNumber), Required = false)] Account? account,
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
            RightsChangeCause.BeneficiaryAdded,
            a =>
            {
                var (refusals, added) = FamilyGroup.Add(
                    a,
                    command.Beneficiary,
                    command.EffectiveOn ?? today,
                    today,
                    regime
                );
                return (refusals, added is null ? [] : [added]);
            }
        );
    }
}
