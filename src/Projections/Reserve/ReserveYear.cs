using Salex.Ledger.Reserve;

namespace Salex.Projections.Reserve;

/// <summary>A calendar year's base contributions received (by the bank's date) and how many insured paid.</summary>
public sealed record ReserveYear(int Year, decimal BaseContributions, int Insured)
{
    public ReserveYearInput ToInput() => new(Year, BaseContributions, Insured);
}
