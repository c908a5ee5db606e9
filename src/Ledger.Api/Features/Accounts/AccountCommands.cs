using JasperFx.Core.Reflection;
using Salex.Ledger.Api.Infrastructure;
using Wolverine;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>
/// The account commands' configuration (payments, returns, withdrawals, the family group). Their endpoints send
/// each command to its handler through <c>IMessageBus.InvokeAsync</c> rather than being the handler themselves,
/// because Wolverine's error policies (the retry of a lost version race, <see cref="Conflicts.RetryLostRaces"/>)
/// apply to handlers, not to HTTP endpoints. The benchmarks configure their in-process host with this too.
/// </summary>
public static class AccountCommands
{
    public static void ConfigureAccountCommands(this WolverineOptions opts)
    {
        // A handler that lost a version race runs again on the new state (the one definition of a conflict).
        opts.RetryLostRaces();
        // Who recorded the events: the request's stamps, carried on the envelope.
        opts.Policies.AddMiddleware(
            typeof(RecordingMiddleware),
            chain => chain.MessageType.CanBeCastTo<IStampedCommand>()
        );
    }
}
