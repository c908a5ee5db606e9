using NodaTime;

namespace Salex.Ledger.Contributions;

/// <summary>A payment sent by a caller of the API, already parsed.</summary>
public sealed record RecordPayment(LocalDate PaidOn, decimal Amount, string BankCode, string Reference, Channel Channel)
{
    public PaymentSource Source => new(PaidOn, BankCode, Reference, Channel.ToString().ToUpperInvariant());
}
