using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>A member of the family group as the account shows it, and whether they are covered today.</summary>
public sealed record BeneficiaryView(Guid Id, string FullName, string BirthDate, string Relationship, bool Covered)
{
    public static BeneficiaryView Of(Beneficiary b, bool covered) =>
        new(b.Id, b.FullName, Dates.Format(b.BirthDate), b.Relationship.ToString(), covered);
}
