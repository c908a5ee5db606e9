using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.RightsChanges;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Salex.Ledger.Enrolment;
using Salex.Ledger.Rights;
using Salex.Projections;
using Salex.Projections.Accounts;
using Salex.Projections.RightsChanges;
using Wolverine.Http;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Enrolling;

public static class EnrolEndpoint
{
    [WolverinePost("/api/insured", OperationId = "enrol")]
    [Tags(ApiAreas.Enrolment)]
    [EndpointSummary("Enrol a Salvadoran living abroad")]
    [Authorize(Roles = Roles.Enrol)]
    [Consumes(typeof(EnrolRequest), "application/json")]
    [ProducesResponseType<EnrolResponse>(201)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Post(
        HttpContext context,
        IDocumentStore store,
        IClock clock,
        Regime regime,
        IMartenOutbox outbox,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<EnrolRequest>(context.Request, ct);
        if (problem is not null)
            return problem;

        var wire = new Wire();
        var command = ToCommand(request!, wire);
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        await using var session = store.OpenSession(context);
        var registration = Dui.Problem(command.Dui) is null
            ? await session.LoadAsync<DuiRegistration>(command.Dui, ct)
            : null;
        var existing = registration is null
            ? null
            : await session.LoadAsync<Account>(registration.AffiliationNumber, ct);
        var refusals = Enrolment.Enrolment.Check(command, existing, ElSalvador.Today(clock), regime);
        if (refusals.Count > 0)
            return Problems.From(refusals);

        string number;
        IReadOnlyList<object> events;
        if (existing is null)
        {
            number = AffiliationNumber.FromSequence(await LedgerStore.NextAffiliationSequenceAsync(session, ct));
            events = Enrolment.Enrolment.Decide(command, null, number, regime);
            session.Events.StartStream<Account>(number, events.ToArray());
            session.Insert(new DuiRegistration(command.Dui, number));
        }
        else
        {
            // Re-enrolment: a new episode on the same stream, at the version we decided on.
            number = existing.Id;
            events = Enrolment.Enrolment.Decide(command, existing, number, regime);
            session.Events.Append(number, existing.Version + events.Count, events.ToArray());
        }
        // A re-enrolment may change the standing today (an episode that begins this month); the change is stored in
        // the outbox of this session, with the events.
        outbox.Enroll(session);
        var after = events.Aggregate(existing, (a, e) => a is null ? Account.Open((Enrolled)e) : a.After(e))! with
        {
            Version = (existing?.Version ?? 0) + events.Count,
        };
        await RightsChangeOutbox.PublishAsync(
            outbox,
            existing,
            after,
            ElSalvador.Today(clock),
            regime,
            RightsChangeCause.Enrolment,
            clock.GetCurrentInstant()
        );
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            // Another enrolment of the same DUI won the race.
            return Problems.Conflict("dui", "This DUI was enrolled by another request at the same time.");
        }
        var enrolled = events.OfType<Enrolled>().Single();

        return Results.Created(
            $"/api/insured/{number}",
            new EnrolResponse(
                number,
                enrolled.Dui,
                enrolled.FullName,
                Dates.Format(enrolled.EnrolledOn),
                Periods.Format(enrolled.FirstPeriod),
                Dates.Format(enrolled.FirstPeriod.FirstDay())
            )
        );
    }

    private static Enrol ToCommand(EnrolRequest r, Wire wire)
    {
        var requested = r.Beneficiaries ?? [];
        if (requested.Count > Limits.Beneficiaries)
            wire.Refusals.Add(
                Refusal.Invalid("beneficiaries", $"At most {Limits.Beneficiaries} beneficiaries in one enrolment.")
            );
        var beneficiaries = requested
            .Take(Limits.Beneficiaries)
            .Select(
                (b, i) =>
                    new Beneficiary(
                        Guid.NewGuid(),
                        wire.Text($"beneficiaries[{i}].fullName", b?.FullName, Limits.Name),
                        wire.Date($"beneficiaries[{i}].birthDate", b?.BirthDate),
                        wire.Enum<Relationship>($"beneficiaries[{i}].relationship", b?.Relationship)
                    )
            )
            .ToList();
        if (r.EligibilityChecks is null)
            wire.Refusals.Add(
                Refusal.Invalid("eligibilityChecks", "The outcome of the eligibility checks is required.")
            );
        var checks = r.EligibilityChecks ?? new EligibilityChecksRequest(false, false, false);
        var email = wire.Text("email", r.Email, Limits.Email);
        if (email.Length > 0 && !LooksLikeEmail(email))
            wire.Refusals.Add(Refusal.Invalid("email", "Not an e-mail address (name@domain)."));
        return new Enrol(
            wire.Text("dui", r.Dui, Limits.Code),
            wire.Text("fullName", r.FullName, Limits.Name),
            wire.Date("birthDate", r.BirthDate),
            wire.Text("countryOfResidence", r.CountryOfResidence, Limits.Code),
            email.Length == 0 ? null : email,
            wire.Date("enrolledOn", r.EnrolledOn),
            wire.Period("firstPeriod", r.FirstPeriod),
            new EligibilityChecks(checks.IdentityVerified, checks.ResidesAbroad, checks.NotInsuredElsewhere),
            beneficiaries,
            // Optional, for the programme's statistics only (F or M).
            string.IsNullOrWhiteSpace(r.Sex)
                ? null
                : wire.Enum<Sex>("sex", r.Sex)
        );
    }

    // Only the shape: one @ with something on each side; whether it reaches anyone is not the ledger's to know.
    private static bool LooksLikeEmail(string email) =>
        email.IndexOf('@') is var at and > 0
        && at == email.LastIndexOf('@')
        && at < email.Length - 1
        && !email.Any(char.IsWhiteSpace);
}
