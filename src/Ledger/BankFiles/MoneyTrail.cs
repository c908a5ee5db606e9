using Salex.Ledger.Contributions;

namespace Salex.Ledger.BankFiles;

/// <summary>
/// Where the money of one bank transaction went. For every transaction
/// <c>Amount = Contributions + Surcharges + Credit + Suspense + Refund</c>, to the cent; <see cref="Credit"/>
/// is the change of the account's credit (money kept minus credit this payment spent).
/// </summary>
public sealed record MoneyTrail(
    decimal Amount,
    decimal Contributions,
    decimal Surcharges,
    decimal Credit,
    decimal Suspense,
    decimal Refund
)
{
    public static MoneyTrail None { get; } = new(0m, 0m, 0m, 0m, 0m, 0m);

    public bool Balanced => Amount == Contributions + Surcharges + Credit + Suspense + Refund;

    /// <summary>A payment applied whole: its periods, and its remainder kept as credit.</summary>
    public static MoneyTrail Of(PaymentAllocation a) =>
        new(a.Amount, a.ContributionsTotal, a.SurchargesTotal, a.Remainder - a.CreditApplied, 0m, 0m);

    public static MoneyTrail Of(BankFileLineRecorded e) =>
        new(e.Amount, e.Contributions, e.Surcharges, e.Credit, e.Suspense, e.Refund);

    /// <summary>Money held in suspense and then paid back to the payer through the bank.</summary>
    public MoneyTrail SuspenseRefunded() => this with { Suspense = 0m, Refund = Refund + Suspense };
}
