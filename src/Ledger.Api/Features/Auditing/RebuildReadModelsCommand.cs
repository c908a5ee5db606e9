using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections.Rebuild;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- rebuild-read-models</c>: every read model written again from the events,
/// the account documents, the bank files' reconciliations and the reserve in one pass and one transaction
/// (<see cref="OnePassRebuild"/>, several times faster than Marten's daemon, which commits page by page). Like <c>projections rebuild</c> it refuses to start while
/// a ledger process is connected (<see cref="RebuildGuard"/>); run it as the schema owner (it empties the read models'
/// tables, as Marten's rebuild does), then <c>verify-projections</c>.
/// </summary>
[Description(
    "Rebuild every read model from the events in one pass and one transaction; as the schema owner, every node stopped",
    Name = "rebuild-read-models"
)]
public sealed class RebuildReadModelsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    /// <summary>The daemon's limit for each projection it rebuilds.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(4);

    public override Task<bool> Execute(NetCoreInput input) =>
        CommandFailure.ReportingUnreachableDatabase(() => RunAsync(input));

    private static async Task<bool> RunAsync(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var clock = Stopwatch.StartNew();
        ReadModels.Rebuilt rebuilt;
        try
        {
            rebuilt = await ReadModels.RebuildAsync(store, Timeout, CancellationToken.None);
        }
        catch (Npgsql.PostgresException e) when (Refusal(e) is { } why)
        {
            Console.Error.WriteLine($"The read models were not rebuilt: {why} ({e.MessageText}). Nothing was changed.");
            return false;
        }
        var (events, accounts, files, reserveRows, mark) = rebuilt.OnePass;
        Console.WriteLine(
            $"Rebuilt from {events} events (up to sequence {mark}) in {clock.Elapsed.TotalSeconds:0.0} s: "
                + $"{accounts} account documents, {files} bank files' reconciliations and {reserveRows} reserve rows "
                + "(year and insured) in one pass and one transaction "
                + $"({rebuilt.OnePassTook.TotalSeconds:0.0} s)"
                + (
                    rebuilt.ByTheDaemon.Count == 0
                        ? ""
                        : $", then by Marten's daemon: {string.Join(", ", rebuilt.ByTheDaemon)} "
                            + $"({rebuilt.DaemonTook.TotalSeconds:0.0} s)"
                )
                + ". Now run verify-projections."
        );
        return true;
    }

    /// <summary>What an operator can act on, in one line; anything else goes up with its stack trace.</summary>
    private static string? Refusal(Npgsql.PostgresException e) =>
        e.SqlState switch
        {
            Npgsql.PostgresErrorCodes.InsufficientPrivilege =>
                "emptying them is the schema owner's right, not the service's role's: run it as the schema owner, as db-apply",
            Npgsql.PostgresErrorCodes.LockNotAvailable =>
                $"another session holds the read models' tables (waited {OnePassRebuild.LockWait.TotalSeconds:0} s): "
                    + "end it (pg_stat_activity lists it) and run it again",
            Npgsql.PostgresErrorCodes.UndefinedTable or Npgsql.PostgresErrorCodes.InvalidSchemaName =>
                "the ledger's schema is not there: run db-apply first",
            _ => null,
        };
}
