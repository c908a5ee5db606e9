using Marten;
using NodaTime;

namespace Salex.Ledger.Api.Features.Auditing;

public static class RecordLedgerDigestHandler
{
    public static async Task Handle(
        RecordLedgerDigest message,
        IDocumentStore store,
        IClock clock,
        DigestArchive archive,
        ILogger<RecordLedgerDigest> logger,
        CancellationToken ct
    )
    {
        var digest = await LedgerDigests.RecordAsync(store, clock, archive, "ledger-digest", ct);
        logger.LogInformation(
            "Ledger digest of {Date}: {Digest} over {Streams} streams, {Events} events",
            digest.Date,
            digest.Digest,
            digest.Streams,
            digest.Events
        );
    }
}
