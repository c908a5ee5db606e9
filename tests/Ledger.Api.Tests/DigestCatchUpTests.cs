using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Salex.Ledger.Api.Features.Auditing;
using Shouldly;
using Wolverine;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A day whose digest occurrence was skipped (its node or the database down at 00:45) gets its digest from the hourly
/// check, once; a day that has its digest, or whose digest is not due yet, gets nothing more.
/// </summary>
public sealed class DigestCatchUpTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static readonly LocalDate Day = new(2026, 11, 23);

    // 00:45 in El Salvador (UTC−6), the default digest schedule's time.
    private static readonly Instant Due = Instant.FromUtc(2026, 11, 23, 6, 45);

    [Theory]
    [InlineData(5, null, false)] // within the grace after its time: the regular digest may be on its way
    [InlineData(10, null, true)] // none at all, ten minutes late
    [InlineData(90, "2026-11-22", true)] // yesterday's only
    [InlineData(90, "2026-11-23", false)] // today's is there
    [InlineData(-30, "2026-11-22", false)] // not due yet today
    public void a_days_digest_is_missed_once_it_is_late_and_none_of_that_day_exists(
        int minutesAfterDue,
        string? lastDigest,
        bool missed
    ) =>
        CatchUpLedgerDigest
            .IsMissed(
                Day,
                Due + Duration.FromMinutes(minutesAfterDue),
                Due,
                lastDigest is null ? null : LocalDate.FromDateTime(DateTime.Parse(lastDigest))
            )
            .ShouldBe(missed);

    [Fact]
    public void a_schedule_with_no_occurrence_today_misses_nothing() =>
        CatchUpLedgerDigest.IsMissed(Day, Due + Duration.FromHours(5), dueToday: null, lastDigest: null).ShouldBeFalse();

    private async Task CheckAsync()
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new CatchUpLedgerDigest());
    }

    private Task<List<DigestView>> DigestsAsync() => Host.GetJsonAsync<List<DigestView>>("/api/digests", Keys.Auditor);

    [Fact]
    public async Task a_skipped_digest_is_recorded_by_the_next_check_and_only_once()
    {
        await Host.EnrolAsync(enrolledOn: "2018-01-10");
        Fixture.Clock.Reset(Due + Duration.FromMinutes(30)); // 01:15, the first check after the skipped occurrence

        await CheckAsync();
        await CheckAsync();

        var digests = await DigestsAsync();
        digests.Count.ShouldBe(1);
        digests[0].Date.ShouldBe("2026-11-23");
        digests[0].Streams.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task a_day_with_its_digest_or_before_its_time_gets_none()
    {
        await Host.EnrolAsync(enrolledOn: "2018-01-10");
        Fixture.Clock.Reset(Due - Duration.FromMinutes(30)); // 00:15: today's digest is not due yet
        await CheckAsync();
        (await DigestsAsync()).ShouldBeEmpty();

        Fixture.Clock.Reset(Due + Duration.FromMinutes(1));
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(201);
        });
        Fixture.Clock.Reset(Due + Duration.FromHours(3));
        await CheckAsync();
        (await DigestsAsync()).Count.ShouldBe(1);
    }
}
