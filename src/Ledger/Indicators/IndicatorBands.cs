namespace Salex.Ledger.Indicators;

/// <summary>The bands the indicators group by, in the order they are shown.</summary>
public static class IndicatorBands
{
    public const string Lapsed = "lapsed";
    public const string UnknownSex = "unknown";

    /// <summary>Days late of the oldest overdue period, as the finance unit reads them; under the default rules an
    /// episode lapses before 91 days, so <c>91+</c> fills only when <c>LapseAfterUnpaidPeriods</c> is raised.</summary>
    public static readonly IReadOnlyList<string> Ageing = ["1-15", "16-30", "31-60", "61-90", "91+", Lapsed];

    /// <summary>Age in whole years on the period's last day; enrolment takes 18 to 60, insured grow older.</summary>
    public static readonly IReadOnlyList<string> Ages = ["18-29", "30-39", "40-49", "50-59", "60+", "under 18"];

    /// <summary>The retention horizons, in months after the enrolment month.</summary>
    public static readonly IReadOnlyList<int> RetentionMonths = [3, 6, 12, 24];

    public static string AgeingBandOf(int daysLate) =>
        daysLate switch
        {
            <= 15 => "1-15",
            <= 30 => "16-30",
            <= 60 => "31-60",
            <= 90 => "61-90",
            _ => "91+",
        };

    public static string AgeBandOf(int age) =>
        age switch
        {
            < 18 => "under 18",
            < 30 => "18-29",
            < 40 => "30-39",
            < 50 => "40-49",
            < 60 => "50-59",
            _ => "60+",
        };

    public static string SexOf(Sex? sex) => sex?.ToString() ?? UnknownSex;
}
