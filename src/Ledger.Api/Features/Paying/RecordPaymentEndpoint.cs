using System.Globalization;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Paying;

public sealed record PaymentRequest(string? PaidOn, decimal? Amount, string? BankCode, string? Reference, string? Channel);

public sealed record AllocationLine(string Period, string Kind, decimal Base, string DueDate, int DaysLate, decimal SurchargeRate, decimal Surcharge, decimal Total);

public sealed record PaymentResponse(
    string AffiliationNumber, string BankCode, string Reference, string PaidOn, decimal Amount,
    IReadOnlyList<AllocationLine> Allocations, decimal CreditApplied, decimal Credit, decimal CreditBalance, decimal RefundDue, string? PaidThrough);

public static class RecordPaymentEndpoint
{
    private const int MaxAttempts = 10;

    [WolverinePost("/api/insured/{affiliationNumber}/payments")]
    [Authorize(Roles = Roles.RecordPayments)]
    [Consumes(typeof(PaymentRequest), "application/json")]
    [ProducesResponseType<PaymentResponse>(201)]
    [ProducesResponseType<PaymentResponse>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    [ProducesResponseType<HttpValidationProblemDetails>(409)]
    [ProducesResponseType<HttpValidationProblemDetails>(422)]
    public static async Task<IResult> Post(string affiliationNumber, HttpContext context, IDocumentStore store, IClock clock,
        Regime regime, Banks.PartnerBankRegistry banks, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<PaymentRequest>(context.Request, ct);
        if (problem is not null) return problem;

        var wire = new Wire();
        var paidOn = wire.Date("paidOn", request!.PaidOn);
        var amount = wire.Amount("amount", request.Amount, "The amount is required.");
        var channel = wire.Enum<Channel>("channel", request.Channel);
        var bankCode = wire.Text("bankCode", request.BankCode, Limits.Code).ToUpperInvariant();
        var reference = wire.Text("reference", request.Reference, Limits.Reference);
        var command = new RecordPayment(paidOn, amount ?? 0m, bankCode, reference, channel);
        var today = ElSalvador.Today(clock);
        wire.Refusals.AddRange(Payments.CheckShape(command, today));
        // Money comes only from a registered partner bank (and the receipt key is made of well-shaped codes). A bank named
        // by one of its BICs is recorded under its code, as in a camt.053 statement, so the transaction has one receipt.
        if (!wire.Refusals.Any(r => r.Field == "bankCode") && banks.Banks.Problem(bankCode) is { } unknownBank)
            wire.Refusals.Add(Refusal.Invalid("bankCode", unknownBank));
        if (wire.Refusals.Count > 0) return Problems.From(wire.Refusals);
        command = command with { BankCode = banks.Banks.Find(bankCode)!.Code };

        return await RecordAsync(affiliationNumber, command, today, regime, () => store.OpenSession(context), ct);
    }

    /// <summary>
    /// The command path of a payment whose shape is valid: idempotency by receipt, decide on the account,
    /// append, commit, and decide again when another writer won. Takes no request, so the benchmarks
    /// drive the very same path in process.
    /// </summary>
    public static async Task<IResult> RecordAsync(
        string affiliationNumber, RecordPayment command, LocalDate today, Regime regime, Func<IDocumentSession> openSession, CancellationToken ct)
    {
        var receiptKey = PaymentReceipt.KeyOf(command.BankCode, command.Reference);
        var fingerprint = Fingerprint(affiliationNumber, command);

        // Two payments racing on one account: the loser of the version check reloads and decides again,
        // so both end up applied in order and no period is paid twice.
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            await using var session = openSession();
            // The receipt and the account in one round trip.
            var batch = session.CreateBatchQuery();
            var receiptRead = batch.Load<PaymentReceipt>(receiptKey);
            var streamRead = batch.Events.FetchForWriting<Account>(affiliationNumber);
            await batch.Execute(ct);
            var receipt = await receiptRead;
            if (receipt is not null)
                return receipt.Fingerprint == fingerprint
                    ? Results.Ok(receipt.Response)
                    : Problems.Conflict("reference", $"The reference '{command.Reference}' of bank {command.BankCode} was already recorded with different data.");

            var stream = await streamRead;
            if (stream.Aggregate is null) return Problems.UnknownAccount(affiliationNumber);

            var decision = Payments.Decide(stream.Aggregate, command, today, regime);
            if (decision.Refusals.Count > 0) return Problems.From(decision.Refusals);
            var allocation = decision.Allocation!;

            var response = ToResponse(affiliationNumber, allocation, regime, stream.Aggregate);
            stream.AppendMany(decision.Events);
            session.Insert(new PaymentReceipt(receiptKey, affiliationNumber, fingerprint, response)
            {
                Bank = command.BankCode, Day = Dates.Format(command.PaidOn), Trail = MoneyTrail.Of(allocation), Origin = PaymentReceipt.ApiOrigin,
            });
            try
            {
                await session.SaveChangesAsync(ct);
                return Results.Created($"/api/insured/{affiliationNumber}", response);
            }
            catch (Exception e) when (e is ConcurrencyException or DocumentAlreadyExistsException || e.InnerException is ConcurrencyException or DocumentAlreadyExistsException)
            {
                // Someone else wrote this account, or this very reference, first: look again.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
        return Problems.Conflict("affiliationNumber", "The account is being changed by other requests; retry the payment.");
    }

    private static string Fingerprint(string affiliationNumber, RecordPayment c) => string.Join('|',
        affiliationNumber, Dates.Format(c.PaidOn), c.Amount.ToString("0.00", CultureInfo.InvariantCulture), c.BankCode, c.Reference, c.Channel);

    private static PaymentResponse ToResponse(string affiliationNumber, PaymentAllocation a, Regime regime, Account before)
    {
        var lines = a.Contributions.Select(p => Line(p, "Contribution", regime))
            .Concat(a.Advances.Select(p => Line(p, "Advance", regime)))
            .ToList();
        var paidThrough = a.Periods.Select(p => (YearMonth?)p.Period).LastOrDefault() ?? before.PaidThrough;
        return new PaymentResponse(affiliationNumber, a.Source.BankCode, a.Source.Reference, Dates.Format(a.Source.PaidOn), a.Amount,
            lines, a.CreditApplied, a.Remainder, before.Credit - a.CreditApplied + a.Remainder, 0m, paidThrough is { } p ? Periods.Format(p) : null);
    }

    private static AllocationLine Line(PeriodPayment p, string kind, Regime regime) => new(
        Periods.Format(p.Period), kind, p.Base, Dates.Format(regime.Calendar.DueDate(p.Period)), p.DaysLate, p.SurchargeRate, p.Surcharge, p.Total);
}
