namespace Salex.Ledger;

/// <summary>
/// The regime's settings. Values marked "policy default" in the specification can be changed by the
/// institute (configuration section <c>Regime</c>); the defaults are the specification's.
/// </summary>
public sealed record RegimeRules
{
    public int MinimumAge { get; init; } = 18;
    public int MaximumAge { get; init; } = 60;

    /// <summary>On a payment date in month m, the last payable period is m + this.</summary>
    public int AdvanceMonths { get; init; } = 12;

    /// <summary>A child is covered until the day before this birthday.</summary>
    public int ChildAgeLimit { get; init; } = 12;

    /// <summary>Policy default: consecutive overdue unpaid periods after which the episode lapses.</summary>
    public int LapseAfterUnpaidPeriods { get; init; } = 3;

    /// <summary>Policy default: whether rights continue while a period is overdue and unpaid.</summary>
    public bool RightsDuringArrears { get; init; }

    /// <summary>Policy default: how many months after the enrolment month the first period may be.</summary>
    public int MaxMonthsToFirstPeriod { get; init; } = 3;

    /// <summary>Guard rail (policy default): the least plausible monthly minimum wage of a rate row, US$.</summary>
    public decimal MinimumWageFloor { get; init; } = 100m;

    /// <summary>Guard rail (policy default): the greatest plausible monthly minimum wage of a rate row, US$.</summary>
    public decimal MinimumWageCeiling { get; init; } = 2_000m;

    /// <summary>Guard rail (policy default): a new rate row starts at most this many months after the current
    /// month.</summary>
    public int RateHorizonMonths { get; init; } = 24;

    /// <summary>Services not covered during the waiting period of an episode (a setting).</summary>
    public IReadOnlyList<string> RestrictedServices { get; init; } =
    ["Renal failure stages 4 and 5", "Cancer", "Coronary heart disease", "Elective surgery"];

    public static RegimeRules Default { get; } = new();
}
