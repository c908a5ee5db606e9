using Marten;
using NodaTime;
using Salex.Projections.Accounts;
using Salex.Projections.Integrity;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A commit that fails after its events took sequence numbers makes Marten append tombstones (stream
/// <c>mt_tombstone</c>), by design. verify-ledger must read them as what they are and stay clean, and still see
/// a change made to one of them.
/// </summary>
public sealed class FailedWriteTests(LedgerHost fixture) : LedgerTest(fixture)
{
    /// <summary>Events appended, then a document insert that fails in the same commit (as a receipt lost in a race does).</summary>
    private async Task FailACommitAsync(string number)
    {
        await using var reader = Fixture.Store.QuerySession();
        var dui = (await reader.Query<DuiRegistration>().FirstAsync()).Id;
        await using var session = Fixture.Store.LightweightSession();
        session.Events.Append(number, new Returned(new LocalDate(2024, 3, 10), new LocalDate(2024, 9, 10)));
        session.Insert(new DuiRegistration(dui, number));
        await Should.ThrowAsync<Exception>(() => session.SaveChangesAsync());
    }

    private async Task<long> TombstonesAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.AdvancedSql.QueryAsync<long>(
            $"select count(*) from salex.mt_events where stream_id = '{ChainVerifier.TombstoneStream}'", CancellationToken.None))[0];
    }

    private async Task<List<StreamVerification>> VerifyAllAsync()
    {
        var all = new List<StreamVerification>();
        await foreach (var s in new ChainVerifier(Fixture.Store).VerifyAllAsync(CancellationToken.None)) all.Add(s);
        return all;
    }

    private async Task WaitForTombstonesAsync(long atLeast)
    {
        // Marten writes them in the background after the failed commit.
        for (var i = 0; i < 250 && await TombstonesAsync() < atLeast; i++) await Task.Delay(20);
        (await TombstonesAsync()).ShouldBeGreaterThanOrEqualTo(atLeast, "Marten wrote no tombstone for the failed commit");
    }

    [Fact]
    public async Task verify_ledger_stays_clean_after_failed_commits_leave_marten_tombstones()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m, "TS-1");
        await FailACommitAsync(number);
        await Host.PayAsync(number, "2018-04-05", 58.72m, "TS-2");
        await FailACommitAsync(number);
        await WaitForTombstonesAsync(2);

        var all = await VerifyAllAsync();
        all.ShouldContain(s => s.StreamId == ChainVerifier.TombstoneStream);
        all.Where(s => !s.Intact).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_tombstone_changed_behind_the_service_s_back_is_a_broken_link()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await FailACommitAsync(number);
        await WaitForTombstonesAsync(1);

        await Host.PlantWithSqlAsync(
            $"update salex.mt_events set data = '{{\"hidden\": 1}}' where stream_id = '{ChainVerifier.TombstoneStream}'");

        var tombstones = (await VerifyAllAsync()).Single(s => s.StreamId == ChainVerifier.TombstoneStream);
        tombstones.BrokenLink.ShouldNotBeNull().Reason.ShouldContain("not one of Marten's tombstones");
    }
}
