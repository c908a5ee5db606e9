using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

/// <summary>What a suspense command answers its endpoint: the refusals (nothing recorded), or the answer's
/// body.</summary>
public sealed record SuspenseOutcome(IReadOnlyList<Refusal> Refusals, object? Body)
{
    public static SuspenseOutcome Done(object body) => new([], body);

    public static SuspenseOutcome NotFound(string id) =>
        new([new Refusal(RefusalKind.NotFound, "id", $"No suspense item has the id '{id}'.")], null);

    public static SuspenseOutcome AlreadySettled(SuspenseItem item) =>
        new(
            [
                Refusal.Conflict(
                    "id",
                    $"The suspense item '{item.Id}' is already {item.Status.ToString().ToLowerInvariant()}"
                        + (item.AssignedTo is { } to ? $" to {to}." : ".")
                ),
            ],
            null
        );

    public static SuspenseOutcome Refused(Refusal refusal) => new([refusal], null);

    public IResult Answer() => Refusals.Count > 0 ? Problems.From(Refusals) : Results.Ok(Body);
}
