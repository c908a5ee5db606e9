using JasperFx.Events;
using Marten.Events.Projections;
using Salex.Ledger;
using Salex.Ledger.Reserve;

namespace Salex.Projections.Reserve;

/// <summary>A calendar year's contributions received (by the bank's date) and who paid them.</summary>
public sealed class ReserveYear
{
    public int Id { get; set; }
    public decimal BaseContributions { get; set; }
    // A set: the projection asks "already counted?" for every payment, which a list made quadratic in the population.
    public HashSet<string> Insured { get; set; } = [];

    public ReserveYearInput ToInput() => new(Id, BaseContributions, Insured.Count);
}

/// <summary>
/// Async multi-stream projection: every payment counts in the year it was paid, whenever it is recorded
/// (a late bank file updates the right year), and the daemon's progress is stored with the documents, so a
/// restart neither skips nor double-counts.
/// </summary>
public partial class ReserveYearProjection : MultiStreamProjection<ReserveYear, int>
{
    public ReserveYearProjection()
    {
        Identity<ContributionPaid>(e => e.Source.PaidOn.Year);
        Identity<AdvancePaid>(e => e.Source.PaidOn.Year);
    }

    public override ReserveYear? Evolve(ReserveYear? snapshot, int id, IEvent e)
    {
        var year = snapshot ?? new ReserveYear { Id = id };
        var periods = e.Data switch
        {
            ContributionPaid c => c.Periods,
            AdvancePaid a => a.Periods,
            _ => null,
        };
        if (periods is null || periods.Count == 0) return year;
        year.BaseContributions += periods.Sum(p => p.Base);
        year.Insured.Add(e.StreamKey!);
        return year;
    }
}
