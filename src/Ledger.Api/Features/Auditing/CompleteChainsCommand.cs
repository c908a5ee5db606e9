using JasperFx.CommandLine;
using Marten;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- complete-chains</c>: computes, set-based, the hash of every event that
/// has none (after a history loaded with <see cref="ChainedBulkLoad"/> was interrupted, or events inserted while the
/// trigger was off), linked as the trigger links them. Writes nothing on a complete ledger; run <c>verify-ledger</c>
/// after it.
/// Run it as the schema owner, with no other writer.
/// </summary>
[Description(
    "Compute the missing hashes of the events' chains, set-based (after an interrupted bulk load); "
        + "then run verify-ledger",
    Name = "complete-chains"
)]
public sealed class CompleteChainsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override Task<bool> Execute(NetCoreInput input) =>
        CommandFailure.ReportingUnreachableDatabase(() => RunAsync(input));

    private static async Task<bool> RunAsync(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var written = await ChainedBulkLoad.CompleteChainsAsync(store, CancellationToken.None);
        Console.WriteLine(
            written == 0 ? "Every event has its hash." : $"{written} hashes computed; now run verify-ledger."
        );
        return true;
    }
}
