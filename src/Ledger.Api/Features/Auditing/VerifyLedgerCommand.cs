using JasperFx.CommandLine;
using Marten;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- verify-ledger</c>: walks every stream's hash chain and prints the
/// first broken link of each broken stream, then checks every stream's head against the latest signed digest
/// (a cut tail, a recomputed chain or a deleted digest stream is reported); non-zero exit code on any finding.
/// </summary>
[Description(
    "Verify every stream's hash chain and the ledger against its latest signed digest; non-zero exit on any finding",
    Name = "verify-ledger"
)]
public sealed class VerifyLedgerCommand : JasperFxAsyncCommand<VerifyLedgerInput>
{
    public override Task<bool> Execute(VerifyLedgerInput input) =>
        CommandFailure.ReportingUnreachableDatabase(() => RunAsync(input));

    private static async Task<bool> RunAsync(VerifyLedgerInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var (streams, events, broken) = (0, 0L, 0);
        await foreach (var stream in new ChainVerifier(store).VerifyAllAsync(CancellationToken.None))
        {
            streams++;
            events += stream.Events;
            if (stream.BrokenLink is not { } link)
                continue;
            broken++;
            Console.WriteLine(
                $"BROKEN {stream.StreamId} at version {link.Version}: {link.Reason}"
                    + (
                        link.ExpectedHash is null && link.FoundHash is null
                            ? ""
                            : $" expected {link.ExpectedHash ?? "-"}, found {link.FoundHash ?? "-"}"
                    )
            );
        }
        Console.WriteLine(
            broken == 0
                ? $"Chains intact: {streams} streams, {events} events verified."
                : $"{broken} of {streams} streams have a broken chain ({events} events read)."
        );

        ArchivedDigest? against = null;
        try
        {
            if (input.DigestFlag is { } file)
                against = await DigestArchive.ReadAsync(file, CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"DIGEST {e.Message}");
            return false;
        }
        var digests = await new DigestVerifier(store, host.Services.GetRequiredService<DigestArchive>()).VerifyAsync(
            against,
            CancellationToken.None
        );
        foreach (var problem in digests.Problems)
            Console.WriteLine($"DIGEST {problem}");
        Console.WriteLine(
            digests.CheckedAgainst is { } d
                ? $"Checked against the signed digest v{d.Version} of {d.Date} ({d.Heads.Count} streams): "
                    + (digests.Holds ? "every signed head is in place." : $"{digests.Problems.Count} findings.")
                : $"No archived digest to check against ({digests.DigestsRecorded} recorded, {digests.Unsigned} unsigned)."
        );
        return broken == 0 && digests.Holds;
    }
}
