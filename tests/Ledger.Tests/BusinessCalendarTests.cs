using NodaTime;
using Salex.Ledger.Calendar;
using Shouldly;
using Xunit;
using static Salex.Ledger.Tests.Fixtures;

namespace Salex.Ledger.Tests;

public class BusinessCalendarTests
{
    private static readonly BusinessCalendar ElSalvador = BusinessCalendar.ElSalvador;

    [Theory]
    [InlineData(2018, 4, 1)]
    [InlineData(2019, 4, 21)]
    [InlineData(2020, 4, 12)]
    [InlineData(2021, 4, 4)]
    [InlineData(2022, 4, 17)]
    [InlineData(2023, 4, 9)]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2000, 4, 23)]
    [InlineData(2008, 3, 23)]
    [InlineData(2038, 4, 25)]
    [InlineData(1818, 3, 22)]
    [InlineData(2285, 3, 22)]
    public void easter_sunday_follows_the_gregorian_computus(int year, int month, int day) =>
        BusinessCalendar.EasterSunday(year).ShouldBe(new LocalDate(year, month, day));

    [Fact]
    public void worked_example_period_2018_02_is_due_on_28_february() =>
        // 2018-02-28 is a Wednesday, no holiday.
        ElSalvador.DueDate(P(2018, 2)).ShouldBe(D(2018, 2, 28));

    [Fact]
    public void worked_example_period_2018_03_is_due_28_march_because_of_holy_week() =>
        // Easter 2018-04-01: Holy Thursday 29, Good Friday 30, Holy Saturday 31 (also a Saturday).
        ElSalvador.DueDate(P(2018, 3)).ShouldBe(D(2018, 3, 28));

    [Theory]
    [InlineData(2018, 3, 29)]
    [InlineData(2018, 3, 30)]
    [InlineData(2018, 3, 31)]
    [InlineData(2024, 3, 28)]
    [InlineData(2024, 3, 29)]
    [InlineData(2024, 3, 30)]
    [InlineData(2027, 3, 25)]
    [InlineData(2027, 3, 26)]
    [InlineData(2027, 3, 27)]
    public void holy_thursday_good_friday_and_holy_saturday_are_holidays(int y, int m, int d) =>
        ElSalvador.IsHoliday(D(y, m, d)).ShouldBeTrue();

    [Theory]
    [InlineData(2018, 3, 28)] // Holy Wednesday
    [InlineData(2018, 4, 1)]  // Easter Sunday itself is not in the list (it is a Sunday anyway)
    [InlineData(2018, 4, 2)]  // Easter Monday
    [InlineData(2024, 3, 27)]
    public void days_around_holy_week_outside_the_three_days_are_not_holidays(int y, int m, int d) =>
        ElSalvador.IsHoliday(D(y, m, d)).ShouldBeFalse();

    [Fact]
    public void period_2024_03_is_due_27_march_because_holy_week_and_easter_sunday_fill_the_month_end() =>
        // Easter 2024-03-31 (Sunday); 28, 29, 30 March are Holy Thursday, Good Friday, Holy Saturday.
        ElSalvador.DueDate(P(2024, 3)).ShouldBe(D(2024, 3, 27));

    [Fact]
    public void period_2027_03_is_due_on_its_last_day_when_holy_week_falls_earlier_in_the_month() =>
        // Easter 2027-03-28: holidays 25-27 March; 2027-03-31 is a Wednesday.
        ElSalvador.DueDate(P(2027, 3)).ShouldBe(D(2027, 3, 31));

    [Fact]
    public void without_holy_week_in_the_calendar_2018_03_would_be_due_on_friday_30_march()
    {
        // The holiday list is a setting: with no holidays, 31 March 2018 (Saturday) falls back to Friday 30.
        var noHolidays = new BusinessCalendar([], []);
        noHolidays.DueDate(P(2018, 3)).ShouldBe(D(2018, 3, 30));
    }

    [Fact]
    public void leap_february_2024_is_due_on_thursday_29_february() =>
        ElSalvador.DueDate(P(2024, 2)).ShouldBe(D(2024, 2, 29));

    [Fact]
    public void non_leap_february_2023_is_due_on_tuesday_28_february() =>
        ElSalvador.DueDate(P(2023, 2)).ShouldBe(D(2023, 2, 28));

    [Theory]
    [InlineData(2023, 9, 2023, 9, 29)]   // 30 Sep 2023 is a Saturday
    [InlineData(2024, 6, 2024, 6, 28)]   // 30 Jun 2024 is a Sunday
    [InlineData(2023, 12, 2023, 12, 29)] // 31 Dec 2023 is a Sunday
    [InlineData(2022, 7, 2022, 7, 29)]   // 31 Jul 2022 is a Sunday
    public void a_month_ending_on_a_weekend_is_due_on_the_friday_before(int py, int pm, int y, int m, int d) =>
        ElSalvador.DueDate(P(py, pm)).ShouldBe(D(y, m, d));

    [Theory]
    [InlineData(2021, 12, 2021, 12, 31)] // Friday
    [InlineData(2022, 1, 2022, 1, 31)]   // Monday
    [InlineData(2022, 5, 2022, 5, 31)]   // Tuesday
    [InlineData(2024, 1, 2024, 1, 31)]   // Wednesday
    [InlineData(2018, 4, 2018, 4, 30)]   // Monday
    public void a_month_ending_on_a_working_day_is_due_on_its_last_day(int py, int pm, int y, int m, int d) =>
        ElSalvador.DueDate(P(py, pm)).ShouldBe(D(y, m, d));

    [Fact]
    public void a_month_ending_on_a_fixed_holiday_is_due_the_business_day_before()
    {
        // None of the regulation's fixed holidays is a month end, so a calendar with 31 December as a
        // holiday: 2025-12-31 is a Wednesday → due Tuesday 2025-12-30.
        var withNewYearsEve = new BusinessCalendar([new AnnualDate(12, 31)], []);
        withNewYearsEve.DueDate(P(2025, 12)).ShouldBe(D(2025, 12, 30));
        ElSalvador.DueDate(P(2025, 12)).ShouldBe(D(2025, 12, 31));
    }

    [Fact]
    public void a_fixed_holiday_on_the_friday_before_a_weekend_month_end_pushes_the_due_date_to_thursday()
    {
        // 2024-06-30 is a Sunday; with 28 June as a holiday the last business day is Thursday 27 June.
        var calendar = new BusinessCalendar([new AnnualDate(6, 28)], []);
        calendar.DueDate(P(2024, 6)).ShouldBe(D(2024, 6, 27));
    }

    [Theory]
    [InlineData(2024, 1, 1)]
    [InlineData(2024, 5, 1)]
    [InlineData(2024, 5, 10)]
    [InlineData(2024, 6, 17)]
    [InlineData(2024, 8, 6)]
    [InlineData(2023, 9, 15)]
    [InlineData(2024, 11, 2)]
    [InlineData(2024, 12, 25)]
    public void the_fixed_national_holidays_are_holidays(int y, int m, int d) =>
        ElSalvador.IsHoliday(D(y, m, d)).ShouldBeTrue();

    [Theory]
    [InlineData(2023, 9, 15, false)] // Friday, Independence Day
    [InlineData(2024, 5, 10, false)] // Friday, Mothers' Day
    [InlineData(2024, 5, 9, true)]   // Thursday
    [InlineData(2024, 3, 27, true)]  // Holy Wednesday
    [InlineData(2023, 9, 30, false)] // Saturday
    [InlineData(2023, 10, 1, false)] // Sunday
    public void business_days_are_monday_to_friday_except_holidays(int y, int m, int d, bool expected) =>
        ElSalvador.IsBusinessDay(D(y, m, d)).ShouldBe(expected);

    [Fact]
    public void every_due_date_is_its_months_last_business_day_inside_and_outside_the_cached_years()
    {
        // DueDate keeps 1900–2199 in an array and the rest in a dictionary; asked twice, from a fresh calendar, in
        // both ranges and across their edges, it answers the definition.
        var calendar = new BusinessCalendar(ElSalvador.FixedHolidays, ElSalvador.DaysFromEaster);
        for (var round = 0; round < 2; round++)
            for (var period = new YearMonth(1890, 1); period <= new YearMonth(2210, 12); period = period.PlusMonths(1))
            {
                var due = calendar.DueDate(period);
                due.ToYearMonth().ShouldBe(period);
                calendar.IsBusinessDay(due).ShouldBeTrue();
                for (var later = due.PlusDays(1); later.ToYearMonth() == period; later = later.PlusDays(1))
                    calendar.IsBusinessDay(later).ShouldBeFalse($"{period}: {later} is a later business day than {due}");
            }
    }
}
