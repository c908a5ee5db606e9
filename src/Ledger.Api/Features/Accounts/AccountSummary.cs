using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Api.Features.Accounts;

/// <summary>An account as the enrolment and finance units read it on a day.</summary>
public sealed record AccountSummary(
    string AffiliationNumber,
    string Dui,
    string FullName,
    string BirthDate,
    string CountryOfResidence,
    string? Email,
    string EnrolledOn,
    string FirstPeriod,
    string Status,
    string? PaidThrough,
    decimal ArrearsTotal,
    decimal Credit,
    string? LastPayablePeriod,
    int MonthsPayableInAdvance,
    IReadOnlyList<BeneficiaryView> Beneficiaries,
    IReadOnlyList<EpisodeView> Episodes,
    IReadOnlyList<RefundView> Refunds,
    decimal RefundsTotal,
    long Version
)
{
    public static AccountSummary Of(Account account, LocalDate today, Regime regime)
    {
        var standing = Standing.On(account, today, regime);
        // Payable exactly when a payment today would be accepted: the current episode has not ended (it may not
        // have started covering yet, as between two episodes).
        var open = EpisodeEnd.On(account, account.CurrentEpisode, today, regime) is null;
        var capacity = AdvanceCapacity.On(account, today, regime.Rules);
        var episode = account.CurrentEpisode;
        return new AccountSummary(
            account.Id,
            account.Dui,
            account.FullName,
            Dates.Format(account.BirthDate),
            account.CountryOfResidence,
            account.Email,
            Dates.Format(episode.EnrolledOn),
            Periods.Format(episode.FirstPeriod),
            standing.Status.ToString(),
            account.PaidThrough is { } p ? Periods.Format(p) : null,
            standing.ArrearsTotal,
            account.Credit,
            open ? Periods.Format(capacity.LastPayablePeriod) : null,
            open ? capacity.MonthsPayable : 0,
            account
                .CurrentBeneficiaries.Select(b =>
                    BeneficiaryView.Of(b, standing.HasRights && BeneficiaryRules.Qualifies(b, today, regime.Rules))
                )
                .ToList(),
            account.Episodes.Select(e => EpisodeView.Of(account, e)).ToList(),
            account.Refunds.Select(RefundView.Of).ToList(),
            account.RefundsTotal,
            account.Version
        );
    }
}
