using Salex.Ledger.Calendar;
using Salex.Ledger.Indicators;

namespace Salex.Ledger.Api.Features.Indicators;

/// <summary>One month of <see cref="ProgrammeIndicators"/> (definitions in docs/indicators.md).</summary>
public sealed record MonthIndicators(
    string Month,
    string From,
    string To,
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
    decimal Cost,
    decimal Balance
)
{
    public static MonthIndicators Of(MonthFigures m) =>
        new(
            Periods.Format(m.Month),
            Dates.Format(m.From),
            Dates.Format(m.To),
            m.Enrolled,
            m.Covered,
            m.InArrears,
            m.Contributing,
            m.NewEnrolments,
            m.Reenrolments,
            m.EnrolmentTarget,
            m.Lapsed,
            m.Returned,
            m.DependantsCovered,
            m.PersonsCovered,
            m.Contributions,
            m.Surcharges,
            m.Advances,
            m.Cost,
            m.Balance
        );
}
