using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Calendar;
using Salex.Ledger.Rights;

namespace Salex.Ledger.Enrolment;

public static class Enrolment
{
    /// <summary>The refusals of an enrolment: empty when the person may enrol.</summary>
    public static IReadOnlyList<Refusal> Check(Enrol command, Account? existing, LocalDate today, Regime regime)
    {
        var (rates, rules) = (regime.Rates, regime.Rules);
        var refusals = new List<Refusal>();
        if (Dui.Problem(command.Dui) is { } duiProblem)
            refusals.Add(Refusal.Invalid("dui", duiProblem));
        if (string.IsNullOrWhiteSpace(command.FullName))
            refusals.Add(Refusal.Invalid("fullName", "The full name is required."));
        if (CountryCode.Problem(command.CountryOfResidence) is { } countryProblem)
            refusals.Add(Refusal.Invalid("countryOfResidence", countryProblem));

        if (command.EnrolledOn > today)
            refusals.Add(Refusal.Invalid("enrolledOn", "The enrolment date cannot be in the future."));
        if (command.BirthDate >= command.EnrolledOn)
            refusals.Add(Refusal.Invalid("birthDate", "The birth date must be before the enrolment date."));
        else
        {
            var age = BeneficiaryRules.AgeOn(command.BirthDate, command.EnrolledOn);
            if (age < rules.MinimumAge || age > rules.MaximumAge)
                refusals.Add(
                    Refusal.Invalid(
                        "birthDate",
                        $"The insured must be {rules.MinimumAge} to {rules.MaximumAge} years old on the enrolment date; they are {age}."
                    )
                );
        }

        var checks = command.EligibilityChecks;
        if (!checks.IdentityVerified)
            refusals.Add(
                Refusal.Invalid("eligibilityChecks.identityVerified", "The identity check (RNPN) did not pass.")
            );
        if (!checks.ResidesAbroad)
            refusals.Add(
                Refusal.Invalid("eligibilityChecks.residesAbroad", "The residence-abroad check (DGME) did not pass.")
            );
        if (!checks.NotInsuredElsewhere)
            refusals.Add(
                Refusal.Invalid(
                    "eligibilityChecks.notInsuredElsewhere",
                    "The person is an active contributor of another ISSS regime."
                )
            );

        var enrolmentMonth = Periods.PeriodOf(command.EnrolledOn);
        var firstPeriod = FirstPeriodOf(command);
        if (firstPeriod < enrolmentMonth)
            refusals.Add(Refusal.Invalid("firstPeriod", "The first period cannot be before the month of enrolment."));
        else if (enrolmentMonth.MonthsUntil(firstPeriod) > rules.MaxMonthsToFirstPeriod)
            refusals.Add(
                Refusal.Invalid(
                    "firstPeriod",
                    $"The first period can be at most {rules.MaxMonthsToFirstPeriod} months after the month of enrolment."
                )
            );
        else if (!rates.Covers(firstPeriod))
            refusals.Add(
                Refusal.Invalid(
                    "firstPeriod",
                    $"No contribution rate is known before {Periods.Format(rates.FirstPeriod)}."
                )
            );

        refusals.AddRange(CheckBeneficiaries(command.Beneficiaries, command.EnrolledOn, rules));

        if (refusals.Count == 0 && existing is not null)
        {
            // One stream for life: a person whose episode ended enrols again on the same stream.
            var end = EpisodeEnd.On(existing, existing.CurrentEpisode, command.EnrolledOn, regime);
            if (end is null)
                refusals.Add(
                    Refusal.Conflict(
                        "dui",
                        $"This DUI already has an open enrolment, affiliation number {existing.Id}."
                    )
                );
            else if (end.LastCoveredPeriod is { } lastCovered && firstPeriod <= lastCovered)
                refusals.Add(
                    Refusal.Invalid(
                        "firstPeriod",
                        $"The new episode must start after {Periods.Format(lastCovered)}, the last period of the previous one."
                    )
                );
        }
        return refusals;
    }

    public static YearMonth FirstPeriodOf(Enrol command) =>
        command.FirstPeriod ?? Periods.PeriodOf(command.EnrolledOn).Next();

    public static IEnumerable<Refusal> CheckBeneficiaries(
        IReadOnlyList<Beneficiary> beneficiaries,
        LocalDate on,
        RegimeRules rules
    )
    {
        var spouses = 0;
        for (var i = 0; i < beneficiaries.Count; i++)
        {
            var b = beneficiaries[i];
            var field = $"beneficiaries[{i}]";
            if (string.IsNullOrWhiteSpace(b.FullName))
                yield return Refusal.Invalid($"{field}.fullName", "The beneficiary's full name is required.");
            if (b.BirthDate > on)
                yield return Refusal.Invalid($"{field}.birthDate", "The birth date cannot be in the future.");
            else if (b.Relationship == Relationship.Child && !BeneficiaryRules.Qualifies(b, on, rules))
                yield return Refusal.Invalid(
                    $"{field}.birthDate",
                    $"A child is a beneficiary only under {rules.ChildAgeLimit} years of age."
                );
            if (b.Relationship == Relationship.Spouse && ++spouses > 1)
                yield return Refusal.Invalid(
                    $"{field}.relationship",
                    "At most one spouse or life partner can be a beneficiary."
                );
        }
    }

    /// <summary>
    /// The events of an enrolment that passed <see cref="Check"/>: on an existing stream, the previous
    /// episode's lapse first when the sweep has not recorded it yet.
    /// </summary>
    public static IReadOnlyList<object> Decide(
        Enrol command,
        Account? existing,
        string affiliationNumber,
        Regime regime
    )
    {
        var enrolled = Enrolled(command, affiliationNumber);
        if (existing is null)
            return [enrolled];
        var lapse = Lifecycle.EpisodeChanges.Sweep(existing, command.EnrolledOn, regime);
        return lapse is null ? [enrolled] : [lapse, enrolled];
    }

    public static Enrolled Enrolled(Enrol command, string affiliationNumber) =>
        new(
            affiliationNumber,
            command.Dui,
            command.FullName.Trim(),
            command.BirthDate,
            CountryCode.Parse(command.CountryOfResidence) ?? command.CountryOfResidence,
            string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim(),
            command.EnrolledOn,
            FirstPeriodOf(command),
            command.Beneficiaries,
            command.EligibilityChecks,
            command.Sex
        );
}
