using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Accounts;

public sealed record BeneficiaryView(Guid Id, string FullName, string BirthDate, string Relationship, bool Covered);

public sealed record EpisodeView(int Number, string EnrolledOn, string FirstPeriod, string? ReturnedOn, string? CoveredUntil,
    string? EndedOn, string? EndReason, string? LastCoveredPeriod);

public sealed record RefundView(string RecordedOn, string Reason, decimal Amount, IReadOnlyList<string> Periods, string? Reference);

public sealed record AccountSummary(
    string AffiliationNumber, string Dui, string FullName, string BirthDate, string CountryOfResidence, string? Email,
    string EnrolledOn, string FirstPeriod, string Status, string? PaidThrough, decimal ArrearsTotal, decimal Credit,
    string? LastPayablePeriod, int MonthsPayableInAdvance, IReadOnlyList<BeneficiaryView> Beneficiaries,
    IReadOnlyList<EpisodeView> Episodes, IReadOnlyList<RefundView> Refunds, decimal RefundsTotal, long Version);

public sealed record OverduePeriodView(string Period, string DueDate, decimal Base, int DaysLate, decimal SurchargeRate, decimal Surcharge, decimal Total);

public sealed record ArrearsStatement(string AffiliationNumber, string On, IReadOnlyList<OverduePeriodView> Periods, decimal Total);

public static class AccountEndpoints
{
    [WolverineGet("/api/insured/{affiliationNumber}")]
    [Authorize(Roles = Roles.ReadAccounts)]
    [ProducesResponseType<AccountSummary>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Summary(string affiliationNumber, IQuerySession session, IClock clock, Regime regime, CancellationToken ct)
    {
        var account = await session.LoadAsync<Account>(affiliationNumber, ct);
        if (account is null) return Problems.UnknownAccount(affiliationNumber);

        return Results.Ok(SummaryOf(account, ElSalvador.Today(clock), regime));
    }

    [WolverineGet("/api/insured/{affiliationNumber}/arrears")]
    [Authorize(Roles = Roles.ReadArrears)]
    [ProducesResponseType<ArrearsStatement>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> Arrears(string affiliationNumber, string? on, string? asOf, IQuerySession session, IClock clock, Regime regime, CancellationToken ct)
    {
        var (account, date, known, problem) = await AccountReads.OnDateAsKnownAsync(session, affiliationNumber, on, asOf, clock, regime, ct);
        if (problem is not null) return problem;

        var standing = Standing.On(account!, date, known);
        return Results.Ok(new ArrearsStatement(account!.Id, Dates.Format(date),
            standing.Overdue.Select(o => new OverduePeriodView(Periods.Format(o.Period), Dates.Format(o.DueDate), o.Base, o.DaysLate, o.SurchargeRate, o.Surcharge, o.Total)).ToList(),
            standing.ArrearsTotal));
    }

    public static AccountSummary SummaryOf(Account account, LocalDate today, Regime regime)
    {
        var standing = Standing.On(account, today, regime);
        // Payable exactly when a payment today would be accepted: the current episode has not ended (it may not
        // have started covering yet, as between two episodes).
        var open = EpisodeEnd.On(account, account.CurrentEpisode, today, regime) is null;
        var capacity = AdvanceCapacity.On(account, today, regime.Rules);
        var episode = account.CurrentEpisode;
        return new AccountSummary(
            account.Id, account.Dui, account.FullName, Dates.Format(account.BirthDate), account.CountryOfResidence, account.Email,
            Dates.Format(episode.EnrolledOn), Periods.Format(episode.FirstPeriod), standing.Status.ToString(),
            account.PaidThrough is { } p ? Periods.Format(p) : null, standing.ArrearsTotal, account.Credit,
            open ? Periods.Format(capacity.LastPayablePeriod) : null, open ? capacity.MonthsPayable : 0,
            account.CurrentBeneficiaries.Select(b => new BeneficiaryView(b.Id, b.FullName, Dates.Format(b.BirthDate), b.Relationship.ToString(),
                standing.HasRights && BeneficiaryRules.Qualifies(b, today, regime.Rules))).ToList(),
            account.Episodes.Select(e => new EpisodeView(e.Number, Dates.Format(e.EnrolledOn), Periods.Format(e.FirstPeriod),
                Opt(e.ReturnedOn), Opt(e.CoveredUntil), Opt(e.EndedOn), e.EndReason?.ToString(),
                e.LastCoveredPeriod is { } l ? Periods.Format(l) : null)).ToList(),
            account.Refunds.Select(r => new RefundView(Dates.Format(r.RecordedOn), r.Reason, r.Amount,
                r.Periods.Select(x => Periods.Format(x.Period)).ToList(), r.Source?.Reference)).ToList(),
            account.RefundsTotal,
            account.Version);
    }

    private static string? Opt(LocalDate? date) => date is { } d ? Dates.Format(d) : null;
}
