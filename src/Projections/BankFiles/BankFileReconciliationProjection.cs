using JasperFx.Events;
using Marten.Events.Aggregation;
using Salex.Ledger.BankFiles;

namespace Salex.Projections.BankFiles;

/// <summary>
/// Keeps each bank file's <see cref="BankFileReconciliation"/> in the same transaction as the file's events (inline),
/// so its version is the stream's and a rebuild recomputes it; the fold itself is the pure domain's
/// (<see cref="BankFileReconciliation.After(object)"/>). <c>verify-projections</c> folds with this same projection.
/// </summary>
public partial class BankFileReconciliationProjection : SingleStreamProjection<BankFileReconciliation, string>
{
    /// <summary>The events of a file's stream: registered with Marten (<c>LedgerStore</c>) from this one list.</summary>
    public static readonly IReadOnlyList<Type> FileEvents =
    [
        typeof(BankFileReceived),
        typeof(BankFileLineRecorded),
        typeof(BankFileCompleted),
        typeof(SuspenseAssigned),
        typeof(SuspenseRefunded),
    ];

    public BankFileReconciliationProjection()
    {
        // A file's own events only: without this list Marten looks for a file's document under every stream a
        // transaction appends to (each account of a payment batch), one query more per commit.
        foreach (var type in FileEvents)
            IncludeType(type);
    }

    public override BankFileReconciliation? Evolve(BankFileReconciliation? snapshot, string id, IEvent e) =>
        Fold(snapshot, e.Data, e.Version);

    /// <summary>A file's reconciliation after one more of its events (at that stream version): started by its
    /// receipt. Marten's projection and the one-pass rebuild (<see cref="Rebuild.OnePassRebuild"/>) both fold with
    /// this.</summary>
    public static BankFileReconciliation? Fold(BankFileReconciliation? snapshot, object data, long version)
    {
        var file = snapshot is null
            ? data is BankFileReceived received
                ? BankFileReconciliation.Start(received)
                : null
            : snapshot.After(data);
        return file is null ? null : file with { Version = version };
    }
}
