using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Features.Banks;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections.Payments;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// <c>POST /api/insured/{affiliationNumber}/payments</c>: the request's shape is checked here (nothing needs the
/// account); the payment is decided and recorded with the others arriving at the same time by the group commit
/// (<see cref="PaymentWriter"/>).
/// </summary>
public static class RecordPaymentEndpoint
{
    [WolverinePost("/api/insured/{affiliationNumber}/payments", OperationId = "recordPayment")]
    [Tags(ApiAreas.Payments)]
    [EndpointSummary("Record a contribution payment")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(PaymentRequest), "application/json")]
    [ProducesResponseType<PaymentResponse>(201)]
    [ProducesResponseType<PaymentResponse>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    [ProducesResponseType<HttpValidationProblemDetails>(422)]
    public static async Task<IResult> Post(
        string affiliationNumber,
        HttpContext context,
        PaymentWriter writer,
        IClock clock,
        PartnerBankRegistry banks,
        CancellationToken ct
    )
    {
        var (request, problem) = await JsonBody.ReadAsync<PaymentRequest>(context.Request, ct);
        if (problem is not null)
            return problem;

        var wire = new Wire();
        var paidOn = wire.Date("paidOn", request!.PaidOn);
        var amount = wire.Amount("amount", request.Amount, "The amount is required.");
        var channel = wire.Enum<Channel>("channel", request.Channel);
        var bankCode = wire.Text("bankCode", request.BankCode, Limits.Code).ToUpperInvariant();
        var reference = wire.Text("reference", request.Reference, Limits.Reference);
        var payment = new RecordPayment(paidOn, amount ?? 0m, bankCode, reference, channel);
        // The rules' own checks of the fields the wire could read (a missing amount is "required", not also "must be
        // positive").
        var unread = wire.Refusals.Select(r => r.Field).ToHashSet();
        wire.Refusals.AddRange(
            Payments.CheckShape(payment, ElSalvador.Today(clock)).Where(r => !unread.Contains(r.Field))
        );
        // Money comes only from a registered partner bank (and the receipt key is made of well-shaped codes). A bank
        // named by one of its BICs is recorded under its code, as in a camt.053 statement, so the transaction has one
        // receipt.
        if (!wire.Refusals.Any(r => r.Field == "bankCode") && banks.Banks.Problem(bankCode) is { } unknownBank)
            wire.Refusals.Add(Refusal.Invalid("bankCode", unknownBank));
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        payment = payment with { BankCode = banks.Banks.Find(bankCode)!.Code };

        var outcome = await writer.RecordAsync(
            new RecordAccountPayment(affiliationNumber, payment),
            Stamps.Of(context),
            ct
        );
        return outcome switch
        {
            { Refusals.Count: > 0 } => Problems.From(outcome.Refusals),
            { Created: true } => Results.Created($"/api/insured/{affiliationNumber}", outcome.Response),
            _ => Results.Ok(outcome.Response),
        };
    }
}
