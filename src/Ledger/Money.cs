namespace Salex.Ledger;

/// <summary>Money is US dollars as <c>decimal</c>, kept to the cent.</summary>
public static class Money
{
    /// <summary>Rounds to the cent, half away from zero, as the regulation rounds contributions.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>True when the amount has no fraction of a cent (58.72 yes, 58.725 no).</summary>
    public static bool IsWholeCents(decimal amount) => decimal.Round(amount, 2) == amount;
}
