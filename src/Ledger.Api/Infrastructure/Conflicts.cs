using JasperFx;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// The one definition of a lost version race: another request appended to the same stream between this one's
/// read and its commit (Marten's <see cref="ConcurrencyException"/>, alone or wrapped), or inserted the same
/// document (a payment receipt) first. Wolverine retries a command
/// that lost one on the new state (<see cref="RetryLostRaces"/>); a command that keeps losing is answered 409
/// (<see cref="Failures"/>), never 500.
/// </summary>
public static class Conflicts
{
    /// <summary>Attempts of a command in all, the first included: beyond that the caller is told to retry.</summary>
    public const int MaxAttempts = 10;

    public static bool IsLostRace(Exception e) => IsRace(e) || e.InnerException is { } inner && IsRace(inner);

    // A stale stream version; a document another writer inserted first (a receipt of the same bank transaction); a
    // stream another writer started first (the same bank file imported twice at once).
    private static bool IsRace(Exception e) =>
        e
            is ConcurrencyException
                or DocumentAlreadyExistsException
                or Marten.Exceptions.ExistingStreamIdCollisionException
                or JasperFx.Events.ExistingStreamIdCollisionException;

    /// <summary>
    /// The error policy of every Wolverine handler: a lost race runs the handler again at once (a new session, the
    /// stream fetched again, the decision taken again), after a short cooldown with jitter so that the losers of one
    /// race do not collide again in step. It applies to <c>IMessageBus.InvokeAsync</c> too, inline.
    /// </summary>
    public static void RetryLostRaces(this WolverineOptions opts) =>
        opts.OnException(IsLostRace, "a lost version race on an event stream")
            .RetryWithCooldown([.. Enumerable.Range(1, MaxAttempts - 1).Select(i => TimeSpan.FromMilliseconds(2 * i))])
            .WithFullJitter();

    /// <summary>The answer once every attempt has lost its race.</summary>
    public static IResult Answer { get; } =
        Problems.Conflict("affiliationNumber", "The account is being changed by other requests; retry.");
}
