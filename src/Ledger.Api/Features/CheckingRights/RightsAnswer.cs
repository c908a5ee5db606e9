using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Api.Features.CheckingRights;

/// <summary>Whether a person has rights on a date, and who of the family group is covered with them.</summary>
public sealed record RightsAnswer(
    string AffiliationNumber,
    string On,
    string Status,
    bool Covered,
    bool RestrictedServicesCovered,
    IReadOnlyList<string> RestrictedServices,
    string? CoveredThrough,
    string Name,
    IReadOnlyList<BeneficiaryRightsView> Beneficiaries
)
{
    public static RightsAnswer Of(Account account, LocalDate date, Regime regime)
    {
        var standing = Standing.On(account, date, regime);
        var restricted = WaitingPeriod.RestrictedServicesCovered(account, standing, date, regime);
        return new RightsAnswer(
            account.Id,
            Dates.Format(date),
            standing.Status.ToString(),
            standing.HasRights,
            restricted,
            regime.Rules.RestrictedServices,
            standing.CoveredThrough is { } p ? Periods.Format(p) : null,
            account.FullName,
            account
                .BeneficiariesOn(date)
                .Select(b =>
                    BeneficiaryRightsView.Of(b, standing.HasRights && BeneficiaryRules.Qualifies(b, date, regime.Rules))
                )
                .ToList()
        );
    }
}
