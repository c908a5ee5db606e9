using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.Withdrawing;

public static class WithdrawHandler
{
    public static (AccountChange, Events) Handle(Withdraw command,
        [WriteAggregate(nameof(Withdraw.AffiliationNumber), Required = false)] Account? account, IClock clock,
        Regime regime)
    {
        var today = ElSalvador.Today(clock);
        return AccountChange.Decide(command, account, today,
            a => EpisodeChanges.Withdraw(a, command.EffectiveOn, today, regime));
    }
}
