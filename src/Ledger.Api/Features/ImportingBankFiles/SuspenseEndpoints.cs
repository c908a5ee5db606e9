using Salex.Projections.Payments;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

public sealed record AssignSuspenseRequest(string? AffiliationNumber);

public sealed record RefundSuspenseRequest(string? Reason);

public sealed record SuspenseView(
    string Id, string FileId, int Line, string BankCode, string TransactionId, string AffiliationNumber, string PaidOn,
    decimal Amount, string Channel, string Status, string? AssignedTo, string? RefundReason,
    string? Reason = null, string? DebtorName = null, string? DebtorAccount = null, string? Remittance = null)
{
    public static SuspenseView Of(SuspenseItem s) => new(s.Id, s.FileId, s.Line, s.BankCode, s.TransactionId, s.AffiliationNumber,
        Dates.Format(s.PaidOn), s.Amount, s.Channel, s.Status.ToString(), s.AssignedTo, s.RefundReason,
        s.Reason, s.DebtorName, s.DebtorAccount, s.Remittance);
}

public sealed record SuspenseAssignment(
    string SuspenseId, string AffiliationNumber, string Outcome, decimal Amount, decimal Contributions, decimal Surcharges,
    decimal Credit, decimal Refund, string? Reason, PaymentResponse Payment);

public static class SuspenseEndpoints
{
    private const int MaxAttempts = 10;

    /// <summary>Money held in suspense, oldest first; by default only what is still open.</summary>
    [WolverineGet("/api/suspense")]
    [Authorize(Roles = Roles.ReadReconciliation)]
    [ProducesResponseType<IReadOnlyList<SuspenseView>>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    public static async Task<IResult> List(IQuerySession session, string? status, HttpRequest request,
        CancellationToken ct)
    {
        var wanted = SuspenseStatus.Open;
        if (status is not null && !Enum.TryParse(status, ignoreCase: true, out wanted))
            return Problems.Invalid("status", $"'{status}' is not a suspense status ({string.Join(", ", Enum.GetNames<SuspenseStatus>())}).");
        var items = await session.Query<SuspenseItem>().Where(s => s.Status == wanted).ToListAsync(ct);
        var views = items.OrderBy(s => s.PaidOn).ThenBy(s => s.Id).Select(SuspenseView.Of).ToList();
        return Csv.Wants(request) ? SuspenseCsv.Of($"suspense-{wanted.ToString().ToLowerInvariant()}.csv",
            views) : Results.Ok(views);
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
    public static async Task<IResult> Refund(string id, HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<RefundSuspenseRequest>(context.Request, ct);
        if (problem is not null) return problem;
        var wire = new Wire();
        var reason = wire.Text("reason", request!.Reason, Limits.Reason, "Say why the money is paid back (e.g. the payer is not insured).");
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);

        await using var session = store.OpenSession(context);
        var item = await session.LoadAsync<SuspenseItem>(id, ct);
        if (item is null) return Problems.NotFound("id", $"No suspense item has the id '{id}'.");
        session.SetHeader("bankFile", item.FileId);
        if (item.Status != SuspenseStatus.Open) return AlreadySettled(item);
        var file = await session.LoadAsync<BankFileReconciliation>(item.FileId, ct)
            ?? throw new InvalidOperationException($"The bank file {item.FileId} of suspense item {id} is missing.");
        var receiptKey = PaymentReceipt.KeyOf(item.BankCode, item.TransactionId);
        var receipt = await session.LoadAsync<PaymentReceipt>(receiptKey, ct)
            ?? throw new InvalidOperationException($"The receipt {receiptKey} of suspense item {id} is missing.");

        var refunded = new SuspenseRefunded(item.Id, item.Amount, reason);
        var next = file.After(refunded);
        // The file's expected version: a refund racing an assignment of the same item fails, and is answered as such.
        session.Events.Append(item.FileId, next.Version, refunded);
        session.Store(next);
        var settled = item with { Status = SuspenseStatus.Refunded, RefundReason = reason };
        session.Store(settled);
        session.Store(receipt with { Trail = receipt.Trail.SuspenseRefunded() });
        try
        {
            await session.SaveChangesAsync(ct);
            return Results.Ok(SuspenseView.Of(settled));
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            await using var again = store.QuerySession();
            var now = await again.LoadAsync<SuspenseItem>(id, ct);
            return now is { Status: not SuspenseStatus.Open } ? AlreadySettled(now)
                : Problems.Conflict("id", "The bank file is being changed by another request; retry.");
        }
    }

    private static IResult AlreadySettled(SuspenseItem item) =>
        Problems.Conflict("id", $"The suspense item '{item.Id}' is already {item.Status.ToString().ToLowerInvariant()}{(item.AssignedTo is { } to ? $" to {to}" : "")}.");

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
    public static async Task<IResult> Assign(string id, HttpContext context, IDocumentStore store, Regime regime, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<AssignSuspenseRequest>(context.Request, ct);
        if (problem is not null) return problem;
        var wire = new Wire();
        var affiliationNumber = wire.Text("affiliationNumber", request!.AffiliationNumber, Limits.QueryValue, "The affiliation number is required.");
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            await using var session = store.OpenSession(context);
            var item = await session.LoadAsync<SuspenseItem>(id, ct);
            if (item is null) return Problems.NotFound("id", $"No suspense item has the id '{id}'.");
            session.SetHeader("bankFile", item.FileId);
            if (item.Status != SuspenseStatus.Open) return AlreadySettled(item);
            var stream = await session.Events.FetchForWriting<Account>(affiliationNumber, ct);
            if (stream.Aggregate is null) return Problems.UnknownAccount(affiliationNumber);
            var file = await session.LoadAsync<BankFileReconciliation>(item.FileId, ct)
                ?? throw new InvalidOperationException($"The bank file {item.FileId} of suspense item {id} is missing.");

            // The bank's instant is not kept on the item, only its date in El Salvador, which is all a decision needs.
            var paidAt = item.PaidOn.AtStartOfDayInZone(ElSalvador.TimeZone).ToInstant();
            var channel = Enum.Parse<Channel>(item.Channel, ignoreCase: true);
            var line = new BankFileLine(item.Line, item.BankCode, item.TransactionId, paidAt, affiliationNumber, item.Amount, channel);
            var decision = BankFileDecisions.Decide(line, stream.Aggregate, regime);

            stream.AppendMany(decision.AccountEvents);
            var assigned = new SuspenseAssigned(item.Id, affiliationNumber, item.Amount);
            var next = file.After(assigned);
            // The file's expected version makes two assignments of one item at once fail but one.
            session.Events.Append(item.FileId, next.Version, assigned);
            session.Store(next);
            session.Store(item with { Status = SuspenseStatus.Assigned, AssignedTo = affiliationNumber });
            var receipt = PaymentReceipt.ForFileLine(item.FileId, line, decision, stream.Aggregate, regime);
            session.Store(receipt);
            try
            {
                await session.SaveChangesAsync(ct);
                var r = decision.Recorded;
                return Results.Ok(new SuspenseAssignment(item.Id, affiliationNumber, r.Outcome.ToString(), r.Amount, r.Contributions, r.Surcharges,
                    r.Credit, r.Refund, r.Reason, receipt.Response));
            }
            catch (Exception e) when (Conflicts.IsLostRace(e))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
        return Problems.Conflict("id", "The account or the file is being changed by other requests; retry.");
    }
}
