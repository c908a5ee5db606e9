using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Salex.Ledger.Api.Features.AsKnownAt;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Projections;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// Rights for random accounts: the endpoint's own read (<see cref="AsKnown"/> then
/// <see cref="RightsAnswer.Of"/>) in process, against a raw prepared SELECT by primary key of the
/// same table. The same number of concurrent readers for both.
/// </summary>
public static class Rights
{
    public static readonly string On = Dates.Format(Population.Today);

    /// <summary>Turns of each side within the measured seconds (<see cref="Measure.InTurnsAsync"/>).</summary>
    public const int Turns = 5;

    /// <summary>
    /// The raw prepared SELECT and the endpoint's own read, measured in turns (<see cref="Measure.InTurnsAsync"/>).
    /// The endpoint's read: a query session of <see cref="StandbyReads"/> (the reads' pool of the API, here on the
    /// benchmark's database), <see cref="AsKnown"/>, then <see cref="RightsAnswer.Of"/>.
    /// </summary>
    public static async Task<(Throughput Raw, Throughput Ledger)> InTurnsAsync(IDocumentStore store, NpgsqlDataSource db, string connection, Regime regime, IReadOnlyList<string> numbers, int clients, double seconds, double warmUp, int seed)
    {
        var clock = SystemClock.Instance;
        using var reads = new StandbyReads(store, null, connection);
        var commands = await PreparedPerReaderAsync(db, clients, $"select data from {LedgerStore.Schema}.mt_doc_account where id = $1", NpgsqlDbType.Varchar);
        try
        {
            return await Measure.InTurnsAsync(clients, seconds, Turns, async (worker, rng) =>
            {
                var cmd = commands[worker];
                cmd.Parameters[0].Value = numbers[rng.Next(numbers.Count)];
                await using var reader = await cmd.ExecuteReaderAsync();
                if (!await reader.ReadAsync() || reader.GetString(0).Length == 0) throw new InvalidOperationException("A seeded account was not found.");
            }, async (worker, rng) =>
            {
                await using var session = reads.Open();
                var (account, date, known, problem) = await AsKnown.OnDateAsync(session, numbers[rng.Next(numbers.Count)], On, null, clock, regime, default, reads);
                if (problem is not null) throw new InvalidOperationException("A seeded account was not found.");
                _ = RightsAnswer.Of(account!, date, known);
            }, seed, warmUp);
        }
        finally
        {
            await DisposeAllAsync(commands);
        }
    }

    /// <summary>Accounts a batch query asks for in the benchmark (the route takes up to 1,000).</summary>
    public const int Batch = 100;

    /// <summary>
    /// The batch query (<c>POST /api/rights/query</c>) after parsing, in turns with its raw baseline: the route's read of
    /// <see cref="Batch"/> random accounts (<see cref="StandbyReads.LiveAccountsAsync"/>) and an answer for each, against
    /// a prepared <c>select data from … where id = any($1)</c> of the same accounts on one connection per reader.
    /// </summary>
    public static async Task<(Throughput Raw, Throughput Ledger)> BatchInTurnsAsync(IDocumentStore store, NpgsqlDataSource db, string connection, Regime regime, IReadOnlyList<string> numbers, int clients, double seconds, double warmUp, int seed)
    {
        var date = Population.Today;
        using var reads = new StandbyReads(store, null, connection);
        var commands = await PreparedPerReaderAsync(db, clients, $"select data from {LedgerStore.Schema}.mt_doc_account where id = any($1)", NpgsqlDbType.Array | NpgsqlDbType.Varchar);
        string[] Pick(Random rng)
        {
            var picked = new HashSet<string>();
            while (picked.Count < Math.Min(Batch, numbers.Count)) picked.Add(numbers[rng.Next(numbers.Count)]);
            return [.. picked];
        }
        try
        {
            return await Measure.InTurnsAsync(clients, seconds, Turns, async (worker, rng) =>
            {
                var cmd = commands[worker];
                var asked = Pick(rng);
                cmd.Parameters[0].Value = asked;
                await using var reader = await cmd.ExecuteReaderAsync();
                var read = 0;
                while (await reader.ReadAsync()) if (reader.GetString(0).Length > 0) read++;
                if (read != asked.Length) throw new InvalidOperationException("A seeded account was not found.");
            }, async (worker, rng) =>
            {
                var asked = Pick(rng);
                var accounts = await reads.LiveAccountsAsync(asked, default);
                if (accounts.Count != asked.Length) throw new InvalidOperationException("A seeded account was not found.");
                foreach (var account in accounts) _ = RightsAnswer.Of(account, date, regime);
            }, seed, warmUp);
        }
        finally
        {
            await DisposeAllAsync(commands);
        }
    }

    /// <summary>One connection and one prepared statement per reader, as a hand-written data layer would hold them.</summary>
    private static async Task<NpgsqlCommand[]> PreparedPerReaderAsync(NpgsqlDataSource db, int clients, string sql, NpgsqlDbType parameter)
    {
        var commands = new NpgsqlCommand[clients];
        for (var c = 0; c < clients; c++)
        {
            var cmd = new NpgsqlCommand(sql, await db.OpenConnectionAsync());
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = parameter });
            await cmd.PrepareAsync();
            commands[c] = cmd;
        }
        return commands;
    }

    private static async Task DisposeAllAsync(NpgsqlCommand[] commands)
    {
        foreach (var cmd in commands)
        {
            await cmd.Connection!.DisposeAsync();
            await cmd.DisposeAsync();
        }
    }
}
