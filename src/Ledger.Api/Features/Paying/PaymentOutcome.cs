using Salex.Projections.Payments;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// What the payment handler answers its endpoint: refusals (nothing recorded), or the payment's answer, either just
/// recorded (<see cref="Created"/>) or found on the receipt of the same payment sent before.
/// </summary>
public sealed record PaymentOutcome(IReadOnlyList<Refusal> Refusals, PaymentResponse? Response, bool Created)
{
    public static PaymentOutcome Refused(params IReadOnlyList<Refusal> refusals) => new(refusals, null, false);

    public static PaymentOutcome Recorded(PaymentResponse response) => new([], response, true);

    public static PaymentOutcome AlreadyRecorded(PaymentResponse response) => new([], response, false);
}
