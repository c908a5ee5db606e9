using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

/// <summary>The late-payment surcharge (recargo): 5 % when 1 to 15 days late, 10 % from the 16th day on.</summary>
public static class Surcharge
{
    public const decimal FirstTierRate = 0.05m;
    public const decimal SecondTierRate = 0.10m;
    public const int FirstTierLastDay = 15;

    /// <summary>Calendar days from the due date to the day the money was paid; 0 when on time.</summary>
    public static int DaysLate(LocalDate dueDate, LocalDate paidOn) => Math.Max(0, Dates.DaysFrom(dueDate, paidOn));

    public static decimal RateFor(int daysLate) =>
        daysLate switch
        {
            <= 0 => 0m,
            <= FirstTierLastDay => FirstTierRate,
            _ => SecondTierRate,
        };

    public static decimal On(decimal contribution, int daysLate) => Money.Round(contribution * RateFor(daysLate));
}
