using System.Globalization;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Projections.Integrity;
using Salex.Projections.Reserve;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// Recomputes every read model from the events and compares it with the stored document, field by field:
/// accounts (Marten's live aggregation, i.e. the inline <c>AccountProjection</c>'s own fold), reserve years (the
/// async projection's own tally over the payment events it has processed so far) and bank-file
/// reconciliations (the importer's fold). Reads only; used by the <c>verify-projections</c> command and the tests.
/// </summary>
public sealed class ProjectionVerifier(IDocumentStore store)
{
    public async Task<ProjectionReport> VerifyAsync(CancellationToken ct)
    {
        // Every read in one snapshot, so that it can run beside a live service.
        await using var snapshot = await AuditSnapshot.OpenAsync(store, ct);
        var session = snapshot.Session;
        var differences = new List<ProjectionDifference>();
        var firstEvents = await session.Events.QueryAllRawEvents().Where(e => e.Version == 1).ToListAsync(ct);

        var accounts = firstEvents.Where(e => e.Data is Enrolled).Select(e => e.StreamKey!).ToList();
        foreach (var id in accounts)
        {
            var recomputed = await session.Events.AggregateStreamAsync<Account>(id, token: ct);
            await CompareAsync(session, "account", id, recomputed, differences, ct);
        }
        foreach (var orphan in (await session.Query<Account>().Select(a => a.Id).ToListAsync(ct)).Except(accounts))
            differences.Add(new ProjectionDifference("account", orphan, "$", "a document", null));

        var bankFiles = firstEvents.Where(e => e.Data is BankFileReceived).Select(e => e.StreamKey!).ToList();
        foreach (var id in bankFiles)
        {
            var events = await session.Events.FetchStreamAsync(id, token: ct);
            await CompareAsync(session, "bank-file", id, FoldBankFile(events), differences, ct);
        }

        var (years, mark) = await RecomputeReserveAsync(session, ct);
        var storedYears = (await ReserveYearProjection.YearsAsync(session, ct)).ToDictionary(y => y.Year);
        foreach (var id in years.Keys.Union(storedYears.Keys).Order())
            await CompareAsync(
                session,
                "reserve-year",
                id.ToString(CultureInfo.InvariantCulture),
                years.GetValueOrDefault(id),
                differences,
                ct,
                storedYears.GetValueOrDefault(id)
            );

        var notCounted = await session
            .Events.QueryAllRawEvents()
            .Where(e => e.Sequence > mark)
            .Where(e => e.EventTypesAre(typeof(ContributionPaid), typeof(AdvancePaid)))
            .CountAsync(ct);
        return new ProjectionReport(accounts.Count, years.Count, bankFiles.Count, differences)
        {
            ReserveMark = mark,
            PaymentsNotCounted = notCounted,
        };
    }

    /// <summary>A file's reconciliation folded by the inline projection's own <c>Evolve</c>.</summary>
    private static BankFileReconciliation? FoldBankFile(IReadOnlyList<IEvent> events)
    {
        var projection = new Salex.Projections.BankFiles.BankFileReconciliationProjection();
        return events.Aggregate((BankFileReconciliation?)null, (state, e) => projection.Evolve(state, e.StreamKey!, e));
    }

    /// <summary>
    /// The reserve's tally re-run over every payment event the async daemon had processed when the stored rows were
    /// written (its progress mark), so a daemon running behind is not a difference.
    /// </summary>
    private async Task<(Dictionary<int, ReserveYear> Years, long Mark)> RecomputeReserveAsync(
        IQuerySession session,
        CancellationToken ct
    )
    {
        var marks = await session.AdvancedSql.QueryAsync<long>(
            $"select coalesce(max(last_seq_id), 0) from {store.Options.Events.DatabaseSchemaName}."
                + "mt_event_progression "
                + $"where name like '{ReserveYearProjection.Name}%'",
            ct
        );
        var upTo = marks[0];
        var tally = new ReserveTally();
        var payments = session
            .Events.QueryAllRawEvents()
            .Where(e => e.Sequence <= upTo)
            .Where(e => e.EventTypesAre(typeof(ContributionPaid), typeof(AdvancePaid)))
            .OrderBy(e => e.Sequence);
        await foreach (var e in payments.ToAsyncEnumerable(ct))
            tally.Add(e);
        return (tally.Years().ToDictionary(y => y.Year), upTo);
    }

    private async Task CompareAsync<T>(
        IQuerySession session,
        string readModel,
        string id,
        T? recomputed,
        List<ProjectionDifference> differences,
        CancellationToken ct,
        T? storedObject = null
    )
        where T : class
    {
        // The stored document as PostgreSQL holds it, not re-read through the type (which could hide a field).
        var stored = storedObject is null
            ? typeof(T) == typeof(ReserveYear)
                ? null
                : await session.Json.FindByIdAsync<T>(id, ct)
            : store.Options.Serializer().ToJson(storedObject);
        if (stored is null && recomputed is null)
            return;
        if (stored is null || recomputed is null)
        {
            differences.Add(
                new ProjectionDifference(
                    readModel,
                    id,
                    "$",
                    stored is null ? null : "a document",
                    recomputed is null ? null : "a document"
                )
            );
            return;
        }
        using var storedJson = JsonDocument.Parse(stored);
        using var recomputedJson = JsonDocument.Parse(store.Options.Serializer().ToJson(recomputed));
        JsonDiff.Compare(
            "$",
            storedJson.RootElement,
            recomputedJson.RootElement,
            (path, s, r) => differences.Add(new ProjectionDifference(readModel, id, path, s, r))
        );
    }
}
