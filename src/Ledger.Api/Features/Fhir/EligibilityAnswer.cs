using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;
using R4 = Hl7.Fhir.Model;
using Response = Hl7.Fhir.Model.CoverageEligibilityResponse;

namespace Salex.Ledger.Api.Features.Fhir;

/// <summary>
/// The rights answer (<see cref="RightsAnswer"/>) as a <c>CoverageEligibilityResponse</c>. One <c>insurance</c> per
/// person: the insured's (<c>Coverage/{n}</c>), then each beneficiary's on the date (contained Coverage and
/// Patient), each with <c>inforce</c>, the <c>benefitPeriod</c> (first day of the episode to the last day of the
/// covered-through period) and the same items: the regime's health services, then each restricted service,
/// <c>excluded</c> while it is not covered and carrying the <see cref="WaitingPeriodExtension"/> (true while the
/// six-month waiting period still runs; absent once the episode has ended).
/// </summary>
public static class EligibilityAnswer
{
    public const string WaitingPeriodExtension = "https://fhir.isss.gob.sv/StructureDefinition/salex-waiting-period";

    public static Response Of(
        Account account,
        EligibilityQuestion question,
        Regime regime,
        FhirSettings settings,
        Instant now
    )
    {
        var date = question.On;
        var rights = RightsAnswer.Of(account, date, regime);
        var standing = Standing.On(account, date, regime);
        var terms = new Terms(
            rights,
            BenefitPeriod(standing),
            standing.End is not null,
            WaitingPeriodEnd(account, standing, date, regime)
        );
        var response = new Response
        {
            Id = Guid.NewGuid().ToString("N"),
            Status = R4.FinancialResourceStatusCodes.Active,
            Purpose = question.Purposes.Select(p => (Response.EligibilityResponsePurpose?)p).ToList(),
            Patient = FhirPatient.ReferenceTo(account),
            Serviced = new R4.Date(Dates.Format(date)),
            Created = new R4.FhirDateTime(now.InZone(ElSalvador.TimeZone).ToDateTimeOffset()).Value,
            Request = question.Request,
            Outcome = R4.ClaimProcessingCodes.Complete,
            Disposition = Disposition(rights, standing, terms.WaitingUntil),
            Insurer = FhirCoverage.Insurer,
            Insurance = [Insurance(new($"Coverage/{account.Id}", rights.Name), rights.Covered, terms)],
        };
        foreach (var beneficiary in rights.Beneficiaries)
        {
            response.Contained.Add(FhirPatient.Of(beneficiary));
            response.Contained.Add(FhirCoverage.Of(account, standing, beneficiary));
            response.Insurance.Add(
                Insurance(
                    new("#" + FhirCoverage.ContainedId(beneficiary), beneficiary.Name),
                    beneficiary.Covered,
                    terms
                )
            );
        }
        return response;
    }

    /// <summary>What every person of the answer shares: the rights, the benefit period, whether the episode has
    /// ended, the waiting period.</summary>
    private sealed record Terms(RightsAnswer Rights, R4.Period? Period, bool Ended, LocalDate? WaitingUntil);

    private static Response.InsuranceComponent Insurance(R4.ResourceReference coverage, bool inForce, Terms terms) =>
        new()
        {
            Coverage = coverage,
            Inforce = inForce,
            BenefitPeriod = terms.Period,
            Item =
            [
                new Response.ItemsComponent
                {
                    Category = new R4.CodeableConcept { Text = "Health services of the SALEX regime" },
                    Description =
                        "Consultations, dentistry, medicines, laboratory and diagnostics, hospitalisation, "
                        + "surgery and emergencies at the ISSS.",
                    Excluded = !inForce,
                },
                .. terms.Rights.RestrictedServices.Select(service =>
                    Restricted(service, inForce && terms.Rights.RestrictedServicesCovered, terms)
                ),
            ],
        };

    /// <summary>A restricted service; once the episode has ended its waiting period is moot (a new enrolment starts
    /// a new one), and the item carries no waiting-period extension.</summary>
    private static Response.ItemsComponent Restricted(string service, bool covered, Terms terms)
    {
        var item = new Response.ItemsComponent
        {
            Category = new R4.CodeableConcept { Text = service },
            Description =
                terms.Ended ? "Restricted service: the coverage episode has ended."
                : terms.WaitingUntil is { } until
                    ? $"Restricted service: not covered during the six-month waiting period, until {Dates.Format(until)} "
                        + "at the earliest (if rights continue)."
                : "Restricted service: the waiting period is over.",
            Excluded = !covered,
        };
        if (!terms.Ended)
            item.Extension.Add(
                new R4.Extension(WaitingPeriodExtension, new R4.FhirBoolean(terms.WaitingUntil is not null))
            );
        return item;
    }

    /// <summary>
    /// The last day of the waiting period at the earliest, while it still runs: the months with rights so far, plus
    /// those from the month of the date (or the first period, if later) on, if rights continue. Null once it is over.
    /// </summary>
    private static LocalDate? WaitingPeriodEnd(Account account, Standing standing, LocalDate date, Regime regime)
    {
        var episode = standing.Episode ?? account.CurrentEpisode;
        var months = WaitingPeriod.MonthsWithRights(account, episode, date, regime);
        if (months >= WaitingPeriod.Months)
            return null;
        var current = Periods.PeriodOf(date);
        var from = current > episode.FirstPeriod ? current : episode.FirstPeriod;
        return from.PlusMonths(WaitingPeriod.Months - months).FirstDay().PlusDays(-1);
    }

    private static R4.Period? BenefitPeriod(Standing standing)
    {
        if (standing.Episode is not { } episode)
            return null;
        var start = episode.FirstPeriod.FirstDay();
        var through = standing.CoveredThrough is { } p && p >= episode.FirstPeriod ? p : (YearMonth?)null;
        return new R4.Period { Start = Dates.Format(start), End = through is { } t ? Dates.Format(t.LastDay()) : null };
    }

    private static string Disposition(RightsAnswer rights, Standing standing, LocalDate? waitingUntil)
    {
        var on = rights.On;
        var restricted =
            rights.RestrictedServicesCovered ? "restricted services covered"
            : waitingUntil is { } until
                ? $"restricted services not covered: waiting period until {Dates.Format(until)} at the earliest"
            : "restricted services not covered";
        return standing.Status switch
        {
            RightsStatus.Active => $"In force on {on}, covered through {rights.CoveredThrough}; {restricted}.",
            RightsStatus.Arrears => $"Not in force on {on}: contributions in arrears "
                + $"({standing.Overdue.Count} overdue period(s)); rights return on the day the overdue periods "
                + "and their surcharges are paid.",
            RightsStatus.Lapsed => $"Not in force on {on}: the coverage episode has ended"
                + (rights.CoveredThrough is { } last ? $" (covered through {last})." : "."),
            _ => standing.Episode is { } episode
                ? $"Not in force on {on}: coverage starts on {Dates.Format(episode.FirstPeriod.FirstDay())}."
                : $"Not in force on {on}: not enrolled by then.",
        };
    }
}
