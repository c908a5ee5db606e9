namespace Salex.Ledger.Contributions;

/// <summary>
/// A payment through the API: refusals, or the accepted judgement whose allocation answers the caller and whose
/// events record it. Deconstructs as <c>(refusals, allocation)</c>.
/// </summary>
public sealed record PaymentDecision
{
    public PaymentDecision(IReadOnlyList<Refusal> refusals, PaymentJudgement? judgement) =>
        (Refusals, Judgement) = (refusals, judgement);

    public IReadOnlyList<Refusal> Refusals { get; }

    /// <summary>Set only when the payment is accepted.</summary>
    public PaymentJudgement? Judgement { get; }

    public PaymentAllocation? Allocation => Judgement?.Allocation;

    public IReadOnlyList<object> Events => Judgement?.Events ?? [];

    public void Deconstruct(out IReadOnlyList<Refusal> refusals, out PaymentAllocation? allocation) =>
        (refusals, allocation) = (Refusals, Allocation);
}
