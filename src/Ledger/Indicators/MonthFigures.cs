using NodaTime;

namespace Salex.Ledger.Indicators;

/// <summary>
/// One month of the programme, within the period asked for (<see cref="From"/> to <see cref="To"/>: the month, cut
/// to the period). Stocks (enrolled, covered, in arrears, persons covered) are counted on <see cref="To"/>; flows
/// (enrolments, lapses, returns, contributors, money) over the days from <see cref="From"/> to <see cref="To"/>.
/// </summary>
public sealed record MonthFigures(
    YearMonth Month,
    LocalDate From,
    LocalDate To,
    int Enrolled,
    int Covered,
    int InArrears,
    int Contributing,
    int NewEnrolments,
    int Reenrolments,
    decimal EnrolmentTarget,
    int Lapsed,
    int Returned,
    int DependantsCovered,
    int PersonsCovered,
    decimal Contributions,
    decimal Surcharges,
    decimal Advances,
    decimal Cost
)
{
    /// <summary>Money received in the month (contributions, surcharges, advances) less the cost of the persons
    /// covered.</summary>
    public decimal Balance => Contributions + Surcharges + Advances - Cost;
}
