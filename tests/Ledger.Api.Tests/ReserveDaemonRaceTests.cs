using JasperFx.Events.Daemon;
using Npgsql;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Projections.Reserve;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Two daemons running the reserve's projection at once, from the same progress mark: two Development (Solo) nodes on
/// one database, or in a cluster a node stalled while the leader gave the projection to another. A second engineer
/// doubled the reserve so, to the cent: Marten 9 logs the later daemon's failed progress update as a warning and
/// commits its page anyway, and the reserve's rows are sums.
/// </summary>
public sealed class ReserveDaemonRaceTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task a_second_daemon_on_the_same_page_does_not_count_its_payments_twice()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
            numbers.Add(await Host.EnrolAsync(enrolledOn: "2018-01-10"));
        await Host.PayAsync(numbers[0], "2018-02-01", 55.92m, "RACE-0");
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));

        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Ledger")!;
        await using var holder = new NpgsqlConnection(connection);
        await holder.OpenAsync();
        // The reserve's table held: the host's daemon moves its mark for the next page, then waits to write its rows.
        var hold = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand($"lock table salex.{ReserveSchema.Table} in share mode", holder, hold))
            await lockTable.ExecuteNonQueryAsync();
        foreach (var (number, i) in numbers.Select((n, i) => (n, i)))
            await Host.PayAsync(number, "2018-02-01", 55.92m, $"RACE-{i + 1}");
        await WaitersAsync(connection, 1);

        // The second daemon starts from the mark the host's has not committed yet, and reads the same page.
        using var second = await Fixture.Store.BuildProjectionDaemonAsync();
        await second.StartAgentAsync(ReserveYearProjection.ShardName, CancellationToken.None);
        try
        {
            await WaitersAsync(connection, 2);
            await hold.CommitAsync();
            await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
            // The second daemon is through its page: it reached the last event, or it was refused the page.
            var last = await LastSequenceAsync(connection);
            bool Through() => second.CurrentAgents().All(a => a.Position >= last || a.Status != JasperFx.AgentStatus.Running);
            for (var attempt = 0; attempt < 300 && !Through(); attempt++)
                await Task.Delay(100);
            var agent = second.CurrentAgents().ShouldHaveSingleItem();
            System.Console.WriteLine($"{agent.Name.Identity} {agent.Status} at {agent.Position} of {last}: {agent.Failure}");
            // Refused, and as a failure Wolverine's cluster restarts an agent after (transient, and not Marten's
            // "progression out of order", after which it leaves the agent stopped for good: after a node's stall the
            // reserve froze). Restarting is Balanced mode's (tests/cluster-test.sh stalls the projection's node);
            // Development's Solo mode restarts no paused agent.
            agent.Status.ShouldBe(JasperFx.AgentStatus.Paused);
            agent.Failure.ShouldNotBeNull();
            agent.Failure.IsTransient.ShouldBeTrue();
            agent.Failure.Category.ShouldNotBe(ShardFailureCategory.ProgressionOutOfOrder);
        }
        finally
        {
            await second.StopAllAsync();
        }

        var report = await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None);
        report.Differences.Where(d => d.ReadModel == "reserve-year").ShouldBeEmpty();
        report.Differences.ShouldBeEmpty();
    }

    private static async Task<long> LastSequenceAsync(string connection)
    {
        await using var probe = new NpgsqlConnection(connection);
        await probe.OpenAsync();
        await using var query = new NpgsqlCommand("select max(seq_id) from salex.mt_events", probe);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until exactly this many of the ledger's sessions wait on a lock.</summary>
    private static async Task WaitersAsync(string connection, int count)
    {
        await using var probe = new NpgsqlConnection(connection);
        await probe.OpenAsync();
        var waiting = -1L;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            await using var query = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
                probe
            );
            waiting = (long)(await query.ExecuteScalarAsync())!;
            if (waiting == count)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{waiting} sessions wait on a lock, not {count}.");
    }
}
