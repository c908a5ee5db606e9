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
    public override Account? Evolve(Account? snapshot, string id, IEvent e)
    {
        var account = snapshot is null
            ? e.Data is Enrolled enrolled
                ? Account.Open(enrolled)
                : null
            : snapshot.After(e.Data);
        return account is null ? null : account with { Version = e.Version };
    }
}

/// <summary>The DUI of each person with a stream: one stream for life, found by DUI at enrolment.</summary>
public sealed record DuiRegistration(string Id, string AffiliationNumber);
