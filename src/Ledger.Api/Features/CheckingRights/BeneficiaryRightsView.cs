using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.CheckingRights;

/// <summary>What a clinic needs to serve a person: no address, country or contact data.</summary>
public sealed record BeneficiaryRightsView(Guid Id, string Name, string Relationship, string BirthDate, bool Covered)
{
    public static BeneficiaryRightsView Of(Beneficiary b, bool covered) =>
        new(b.Id, b.FullName, b.Relationship.ToString(), Dates.Format(b.BirthDate), covered);
}
