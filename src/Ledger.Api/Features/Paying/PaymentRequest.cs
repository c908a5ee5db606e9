using System.ComponentModel.DataAnnotations;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>The body of <c>POST /api/insured/{affiliationNumber}/payments</c>, as the caller sent it.</summary>
public sealed record PaymentRequest(
    string? PaidOn,
    decimal? Amount,
    string? BankCode,
    string? Reference,
    [property: AllowedValues("Branch", "Online")] string? Channel
);
