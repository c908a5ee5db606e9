using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Contributions;

/// <summary>
/// The contribution owed for each period: 9.32 % of two minimum wages of the commerce and services
/// sector, at the row in force for that period.
/// </summary>
public sealed class RateSchedule
{
    public const decimal ContributionRate = 0.0932m;
    public const int MinimumWagesInBase = 2;

    public static RateSchedule Known { get; } =
        new([new RateRow(new YearMonth(2017, 10), 300m), new RateRow(new YearMonth(2022, 1), 365m)]);

    public RateSchedule(IEnumerable<RateRow> rows)
    {
        Rows = rows.OrderBy(r => r.FirstPeriod).ToArray();
        if (Rows.Count == 0)
            throw new ArgumentException("A rate schedule needs at least one row.", nameof(rows));
    }

    public IReadOnlyList<RateRow> Rows { get; }

    public YearMonth FirstPeriod => Rows[0].FirstPeriod;

    public static decimal ContributionOn(decimal minimumWage) =>
        Money.Round(minimumWage * MinimumWagesInBase * ContributionRate);

    public bool Covers(YearMonth period) => period >= FirstPeriod;

    public RateRow RowFor(YearMonth period)
    {
        RateRow? inForce = null;
        foreach (var row in Rows)
            if (row.FirstPeriod <= period)
                inForce = row;
        return inForce
            ?? throw new ArgumentOutOfRangeException(
                nameof(period),
                $"No contribution rate is known for {Periods.Format(period)}; the schedule starts at {Periods.Format(FirstPeriod)}."
            );
    }

    public decimal ContributionFor(YearMonth period) => RowFor(period).MonthlyContribution;
}
