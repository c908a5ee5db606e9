namespace Salex.Ledger.Indicators;

/// <summary>
/// The whole period: stocks on its last day (enrolled, covered, in arrears, dependants, persons covered), flows over
/// all of it (contributors are distinct persons; money, cost and balance are the months' sums).
/// </summary>
public sealed record PeriodTotals(
    int Enrolled,
    int Covered,
    int InArrears,
    int Contributors,
    int NewEnrolments,
    int Reenrolments,
    decimal EnrolmentTarget,
    int Lapsed,
    int LapsedForNonPayment,
    int Returned,
    int Dependants,
    int DependantsCovered,
    int PersonsCovered,
    decimal Contributions,
    decimal Surcharges,
    decimal Advances,
    decimal Cost,
    decimal Balance
);
