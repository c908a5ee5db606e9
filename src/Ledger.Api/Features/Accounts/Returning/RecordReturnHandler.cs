using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Salex.Ledger.Rights;
using Wolverine;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.Returning;

public static class RecordReturnHandler
{
    public static (AccountChange, Events, OutgoingMessages) Handle(
        RecordReturn command,
        [WriteAggregate(nameof(RecordReturn.AffiliationNumber), Required = false)] Account? account,
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
            RightsChangeCause.Return,
            a => EpisodeChanges.Return(a, command.ReturnedOn, today, regime)
        );
    }
}
