using NodaTime;

namespace Salex.Ledger.Calendar;

/// <summary>"Today" in the regime is the date in El Salvador, whatever the server's zone.</summary>
public static class ElSalvador
{
    public static DateTimeZone TimeZone { get; } = DateTimeZoneProviders.Tzdb["America/El_Salvador"];

    public static LocalDate Today(IClock clock) => clock.GetCurrentInstant().InZone(TimeZone).Date;

    public static LocalDate DateOf(Instant instant) => instant.InZone(TimeZone).Date;
}
