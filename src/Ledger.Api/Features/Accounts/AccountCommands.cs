using JasperFx.Core.Reflection;
using Salex.Ledger.Api.Infrastructure;
using Wolverine;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>
/// The account commands' configuration. Their endpoints send each command to its handler through
/// <c>IMessageBus.InvokeAsync</c> rather than being the handler themselves, because Wolverine's error policies
/// (the retry of a lost version race, <see cref="Conflicts.RetryLostRaces"/>) apply to handlers, not to HTTP endpoints.
/// </summary>
public static class AccountCommands
{
    public static void ConfigureAccountCommands(this WolverineOptions opts) =>
        opts.Policies.AddMiddleware(typeof(RecordingMiddleware), chain => chain.MessageType.CanBeCastTo<IAccountCommand>());
}
