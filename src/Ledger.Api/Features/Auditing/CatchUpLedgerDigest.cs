using NodaTime;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// The hourly check that today's ledger digest was recorded. Wolverine's recurring agent skips an occurrence that fell
/// while its node or the database was down and never runs it later (docs/cluster.md): without this, such a day had no
/// digest, and the events of two days were covered by the chain alone.
/// </summary>
public sealed record CatchUpLedgerDigest
{
    /// <summary>How long after its time today's digest may still be on its way before the check records one.</summary>
    public static readonly Duration Grace = Duration.FromMinutes(10);

    /// <summary>
    /// Whether today's digest is missing: it was due (<paramref name="dueToday"/>, the digest schedule's first
    /// occurrence of the day) more than <see cref="Grace"/> ago, and the last digest recorded is of an earlier day.
    /// </summary>
    public static bool IsMissed(LocalDate today, Instant now, Instant? dueToday, LocalDate? lastDigest) =>
        dueToday is { } due && now >= due + Grace && (lastDigest is not { } last || last < today);
}
