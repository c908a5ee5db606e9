using NodaTime;

namespace Salex.Ledger.Calendar;

/// <summary>
/// El Salvador's working days: Monday to Friday except national holidays. Holidays are either on a
/// fixed day of the year or a fixed number of days from Easter Sunday (Holy Week). The list is a setting.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly IReadOnlyList<AnnualDate> _fixedHolidays;
    private readonly IReadOnlyList<int> _easterOffsets;

    public BusinessCalendar(IEnumerable<AnnualDate> fixedHolidays, IEnumerable<int> daysFromEaster)
    {
        _fixedHolidays = fixedHolidays.ToArray();
        _easterOffsets = daysFromEaster.ToArray();
    }

    /// <summary>
    /// The holidays of the regulation: 1 January, Holy Thursday, Good Friday, Holy Saturday, 1 May, 10 May,
    /// 17 June, 6 August, 15 September, 2 November, 25 December.
    /// </summary>
    public static BusinessCalendar ElSalvador { get; } =
        new(
            [new(1, 1), new(5, 1), new(5, 10), new(6, 17), new(8, 6), new(9, 15), new(11, 2), new(12, 25)],
            [-3, -2, -1]
        );

    public IReadOnlyList<AnnualDate> FixedHolidays => _fixedHolidays;

    public IReadOnlyList<int> DaysFromEaster => _easterOffsets;

    public bool IsHoliday(LocalDate date)
    {
        foreach (var holiday in _fixedHolidays)
            if (holiday.Month == date.Month && holiday.Day == date.Day)
                return true;
        if (_easterOffsets.Count == 0)
            return false;
        var easter = EasterSunday(date.Year);
        foreach (var offset in _easterOffsets)
            if (easter.PlusDays(offset) == date)
                return true;
        return false;
    }

    public bool IsBusinessDay(LocalDate date) =>
        date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>The due dates of 1900-01 to 2199-12 by month, filled as asked (default: not yet computed). A rights
    /// answer asks for the due date of every month of an episode three times; an array read is a fraction of a
    /// dictionary's lookup (docs/benchmarks.md, "The rights answer's own work"). Months outside are rare (far dates in
    /// hostile queries) and go to the dictionary.</summary>
    private readonly LocalDate[] _dueByMonth = new LocalDate[(CachedUntilYear - CachedFromYear + 1) * 12];

    private const int CachedFromYear = 1900;
    private const int CachedUntilYear = 2199;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<YearMonth, LocalDate> _dueDates = new();

    /// <summary>The contribution of a period is due on its last business day.</summary>
    public LocalDate DueDate(YearMonth period)
    {
        if (period.Calendar != CalendarSystem.Iso || period.Year is < CachedFromYear or > CachedUntilYear)
            return _dueDates.GetOrAdd(period, LastBusinessDay);
        // A race computes the same date twice and writes it twice: harmless.
        ref var due = ref _dueByMonth[(period.Year - CachedFromYear) * 12 + period.Month - 1];
        if (due == default)
            due = LastBusinessDay(period);
        return due;
    }

    private LocalDate LastBusinessDay(YearMonth period)
    {
        var day = period.LastDay();
        while (!IsBusinessDay(day))
            day = day.PlusDays(-1);
        return day;
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).</summary>
    public static LocalDate EasterSunday(int year)
    {
        int a = year % 19,
            b = year / 100,
            c = year % 100,
            d = b / 4,
            e = b % 4;
        int f = (b + 8) / 25,
            g = (b - f + 1) / 3,
            h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4,
            k = c % 4,
            l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31,
            day = (h + l - 7 * m + 114) % 31 + 1;
        return new LocalDate(year, month, day);
    }
}
