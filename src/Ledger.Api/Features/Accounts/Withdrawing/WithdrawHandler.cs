using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Wolverine;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.Withdrawing;

public static class WithdrawHandler
{
    public static (AccountChange, Events, OutgoingMessages) Handle(
        Withdraw command,
        [WriteAggregate(nameof(Withdraw.AffiliationNumber), Required = false)] Account? account,
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
            RightsChangeCause.Withdrawal,
            a => EpisodeChanges.Withdraw(a, command.EffectiveOn, today, regime)
        );
    }
}
