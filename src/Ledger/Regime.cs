using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;

namespace Salex.Ledger;

/// <summary>Everything a decision needs besides the account and the date: rates, calendar and rules.</summary>
public sealed record Regime(RateSchedule Rates, BusinessCalendar Calendar, RegimeRules Rules)
{
    public static Regime Default { get; } = new(RateSchedule.Known, BusinessCalendar.ElSalvador, RegimeRules.Default);
}
