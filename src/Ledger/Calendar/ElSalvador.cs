using NodaTime;

namespace Salex.Ledger.Calendar;

/// <summary>"Today" in the regime is the date in El Salvador, whatever the server's zone.</summary>
public static class ElSalvador
{
    public static DateTimeZone TimeZone { get; } = DateTimeZoneProviders.Tzdb["America/El_Salvador"];

    /// <summary>
    /// The same zone for the BCL (Wolverine's cron schedules): El Salvador has kept UTC−6 all year since 1988, so one
    /// fixed offset, taken from <see cref="TimeZone"/>, is the whole rule (a test checks there is no transition).
    /// </summary>
    public static TimeZoneInfo SystemTimeZone { get; } =
        TimeZoneInfo.CreateCustomTimeZone(
            TimeZone.Id,
            TimeZone.GetUtcOffset(Instant.FromUtc(2000, 1, 1, 0, 0)).ToTimeSpan(),
            "El Salvador",
            "El Salvador"
        );

    public static LocalDate Today(IClock clock) => clock.GetCurrentInstant().InZone(TimeZone).Date;

    public static LocalDate DateOf(Instant instant) => instant.InZone(TimeZone).Date;
}
