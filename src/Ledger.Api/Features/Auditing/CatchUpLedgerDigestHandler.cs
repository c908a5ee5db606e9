using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;

namespace Salex.Ledger.Api.Features.Auditing;

public static class CatchUpLedgerDigestHandler
{
    public static async Task Handle(
        CatchUpLedgerDigest message,
        IDocumentStore store,
        IClock clock,
        DigestArchive archive,
        IOptions<LedgerSettings> settings,
        ILogger<CatchUpLedgerDigest> logger,
        CancellationToken ct
    )
    {
        var now = clock.GetCurrentInstant();
        var today = ElSalvador.DateOf(now);
        var schedule = Wolverine.CronSchedule.Parse(settings.Value.DigestSchedule, ElSalvador.SystemTimeZone);
        var midnight = today.AtStartOfDayInZone(ElSalvador.TimeZone).ToDateTimeOffset();
        var due = schedule.NextOccurrence(midnight.AddTicks(-1)) is { } next
            ? Instant.FromDateTimeOffset(next)
            : (Instant?)null;
        await using var session = store.QuerySession();
        var latest = (await LedgerDigests.RecordedAsync(session, ct)).LastOrDefault();
        if (latest.Digest is not null)
            await RepairArchiveAsync(store, archive, latest, logger, ct);
        if (!CatchUpLedgerDigest.IsMissed(today, now, due, latest.Digest?.Date))
            return;
        var digest = await LedgerDigests.RecordAsync(store, clock, archive, "ledger-digest-catch-up", ct);
        logger.LogWarning(
            "The ledger digest of {Date} was not recorded at its time ({Due}); recorded now: {Digest} over {Streams} streams",
            digest.Date,
            due,
            digest.Digest,
            digest.Streams
        );
    }

    /// <summary>The latest digest's file written if the process stopped before writing it.</summary>
    private static async Task RepairArchiveAsync(
        IDocumentStore store,
        DigestArchive archive,
        (long Version, LedgerDigestRecorded Digest) latest,
        ILogger logger,
        CancellationToken ct
    )
    {
        var version = latest.Version;
        switch (await LedgerDigests.ArchiveIfMissingAsync(store, archive, latest, ct))
        {
            case LedgerDigests.ArchiveRepair.Written:
                logger.LogWarning(
                    "The archive had no file for ledger digest v{Version}; written from the ledger",
                    version
                );
                break;
            case LedgerDigests.ArchiveRepair.HeadsNoLongerMatch:
                logger.LogError(
                    "The archive has no file for ledger digest v{Version}, and the ledger's heads at its sequence no "
                        + "longer hash to it: the ledger changed after the digest; run verify-ledger",
                    version
                );
                break;
            case LedgerDigests.ArchiveRepair.SignedByAnotherKey:
                logger.LogWarning(
                    "The archive has no file for ledger digest v{Version}, signed by another key than the configured "
                        + "one; not written",
                    version
                );
                break;
        }
    }
}
