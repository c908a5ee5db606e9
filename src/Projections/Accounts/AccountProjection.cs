using JasperFx.Events;
using Marten.Events.Aggregation;
using Salex.Ledger;
using Salex.Ledger.Accounts;

namespace Salex.Projections.Accounts;

/// <summary>
/// Keeps each insured person's <see cref="Account"/> up to date in the same transaction as their events,
/// so rights, arrears and the summary are one document read. The fold itself is the pure domain's.
/// </summary>
public partial class AccountProjection : SingleStreamProjection<Account, string>
{
    public override Account? Evolve(Account? snapshot, string id, IEvent e) => Fold(snapshot, e.Data, e.Version);

    /// <summary>An account after one more event of its stream (at that stream version): opened by its enrolment, then
    /// the domain's own fold. A stream that does not begin with an enrolment has no account. Marten's projection and the
    /// one-pass rebuild (<see cref="Rebuild.OnePassRebuild"/>) both fold with this.</summary>
    public static Account? Fold(Account? snapshot, object data, long version)
    {
        var account = snapshot is null
            ? data is Enrolled enrolled
                ? Account.Open(enrolled)
                : null
            : snapshot.After(data);
        return account is null ? null : account with { Version = version };
    }
}

/// <summary>The DUI of each person with a stream: one stream for life, found by DUI at enrolment.</summary>
public sealed record DuiRegistration(string Id, string AffiliationNumber);
