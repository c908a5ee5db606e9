using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Wolverine;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

public static class SuspenseEndpoints
{
    /// <summary>Money held in suspense, oldest first; by default only what is still open.</summary>
    [WolverineGet("/api/suspense")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<IReadOnlyList<SuspenseView>>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    public static async Task<IResult> List(
        IQuerySession session,
        string? status,
        HttpRequest request,
        CancellationToken ct
    )
    {
        var wanted = SuspenseStatus.Open;
        if (status is not null && !Enum.TryParse(status, ignoreCase: true, out wanted))
            return Problems.Invalid(
                "status",
                $"'{status}' is not a suspense status ({string.Join(", ", Enum.GetNames<SuspenseStatus>())})."
            );
        var views = await SuspenseReads.ListAsync(session, wanted, ct);
        return Csv.Wants(request)
            ? SuspenseCsv.Of($"suspense-{wanted.ToString().ToLowerInvariant()}.csv", views)
            : Results.Ok(views);
    }

    /// <summary>
    /// Money held in suspense that finance paid back to the payer through the bank: the file's stream records
    /// the refund, and the transaction's receipt moves the amount from suspense to refunds.
    /// </summary>
    [WolverinePost("/api/suspense/{id}/refund")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(RefundSuspenseRequest), "application/json")]
    [ProducesResponseType<SuspenseView>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Refund(string id, HttpContext context, IMessageBus bus, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<RefundSuspenseRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var reason = wire.Text(
            "reason",
            request!.Reason,
            Limits.Reason,
            "Say why the money is paid back (e.g. the payer is not insured)."
        );
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        var outcome = await bus.InvokeAsync<SuspenseOutcome>(new RefundSuspense(id, reason), Recording.Of(context), ct);
        return outcome.Answer();
    }

    /// <summary>
    /// Gives money held in suspense to an account: it is decided exactly like the file line it came from,
    /// on its original payment date, and the file's stream records the assignment.
    /// </summary>
    [WolverinePost("/api/suspense/{id}/assign")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(AssignSuspenseRequest), "application/json")]
    [ProducesResponseType<SuspenseAssignment>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    public static async Task<IResult> Assign(string id, HttpContext context, IMessageBus bus, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<AssignSuspenseRequest>(context.Request, ct);
        if (problem is not null)
            return problem;
        var wire = new Wire();
        var affiliationNumber = wire.Text(
            "affiliationNumber",
            request!.AffiliationNumber,
            Limits.QueryValue,
            "The affiliation number is required."
        );
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);

        var outcome = await bus.InvokeAsync<SuspenseOutcome>(
            new AssignSuspense(id, affiliationNumber),
            Recording.Of(context),
            ct
        );
        return outcome.Answer();
    }
}
