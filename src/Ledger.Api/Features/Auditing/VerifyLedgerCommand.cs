using JasperFx.CommandLine;
using Marten;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- verify-ledger</c>: walks every stream's hash chain and prints the
/// first broken link of each broken stream; the exit code is non-zero if any stream is broken.
/// </summary>
[Description("Verify the hash chain of every event stream; exits non-zero on any broken link", Name = "verify-ledger")]
public sealed class VerifyLedgerCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var (streams, events, broken) = (0, 0L, 0);
        await foreach (var stream in new ChainVerifier(store).VerifyAllAsync(CancellationToken.None))
        {
            streams++;
            events += stream.Events;
            if (stream.BrokenLink is not { } link) continue;
            broken++;
            Console.WriteLine($"BROKEN {stream.StreamId} at version {link.Version}: {link.Reason}"
                + (link.ExpectedHash is null && link.FoundHash is null ? "" : $" expected {link.ExpectedHash ?? "-"}, found {link.FoundHash ?? "-"}"));
        }
        Console.WriteLine(broken == 0
            ? $"Ledger intact: {streams} streams, {events} events verified."
            : $"{broken} of {streams} streams have a broken chain ({events} events read).");
        return broken == 0;
    }
}
