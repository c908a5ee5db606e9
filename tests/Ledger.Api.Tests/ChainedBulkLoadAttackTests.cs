using JasperFx.Events;
using Microsoft.Extensions.DependencyInjection;
using Marten;
using NodaTime;
using Salex.Ledger.Enrolment;
using Salex.Projections.Integrity;
using Shouldly;
using Xunit.Abstractions;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Attacks on the history load with several tiny parts in flight (two copied at once, committing in order): whatever
/// ends the load (a refused part, a key in two parts at once, a cancellation, a share or a part's documents that throw),
/// afterwards the trigger, the foreign keys and the receipts' indexes are back, the streams loaded are exactly a prefix
/// of the history's order (no part after a refused one, none before it missing), and every loaded event has its hash
/// (the completion finds nothing to do and the verifier says intact).
/// </summary>
public sealed class ChainedBulkLoadAttackTests(LedgerHost fixture, ITestOutputHelper output) : LedgerTest(fixture)
{
    private static readonly string Schema = Salex.Projections.LedgerStore.Schema;

    private Regime Regime => Host.Services.GetRequiredService<Regime>();

    private static string Number(long sequence) => AffiliationNumber.FromSequence(sequence);

    /// <summary>Numbers <paramref name="count"/> in a row from <paramref name="from"/>.</summary>
    private static List<string> Numbers(long from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Number(from + i))];

    /// <summary>An account of two events (so each is a part of its own with parts of two events): an enrolment and a
    /// credit under its bank transaction.</summary>
    private StreamAction History(string number, string? dui = null, string? reference = null) =>
        HistoryLoadProbes.History(Fixture.Store, number, dui, reference);

    private Task<ChainedBulkLoad.Result> LoadAsync(IEnumerable<IReadOnlyList<StreamAction>> shares, int eventsPerPart = 2,
        CancellationToken ct = default) =>
        HistoryLoadProbes.WithinPatience(
            patience => ChainedBulkLoad.LoadAsync(Fixture.Store, shares, _ => Task.FromResult(Regime), patience,
                eventsPerPart), ct);

    private Task<ChainedBulkLoad.Result> LoadAsync(IReadOnlyList<StreamAction> streams, int eventsPerPart = 2,
        CancellationToken ct = default) => LoadAsync([streams], eventsPerPart, ct);

    // ---- what must hold after any load ----

    private sealed record Schema_(IReadOnlyList<string> Keys, IReadOnlyList<string> Indexes);

    private async Task<Schema_> SchemaAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        var keys = await HistoryLoadProbes.ForeignKeysAsync(Fixture.Store);
        var indexes = await session.AdvancedSql.QueryAsync<string>(
            $"select indexdef from pg_indexes where schemaname = '{Schema}' and tablename = 'mt_doc_paymentreceipt' order by 1",
            CancellationToken.None);
        return new Schema_(keys, indexes);
    }

    private Task<bool> TriggerEnabledAsync() => HistoryLoadProbes.TriggerEnabledAsync(Fixture.Store);

    private Task<HashSet<string>> LoadedAsync(IReadOnlyList<string> numbers) =>
        HistoryLoadProbes.LoadedAsync(Fixture.Store, numbers);

    private async Task<long> CountAsync(string sql)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.AdvancedSql.QueryAsync<long>(sql, CancellationToken.None)).Single();
    }

    /// <summary>
    /// Everything that must hold after a load, however it ended, as a list of what did not (empty: all held): the
    /// trigger on, the keys and indexes as <paramref name="before"/>, the streams of <paramref name="order"/> loaded a
    /// prefix of it (of length <paramref name="expectedPrefix"/> when given), each with its receipt and registration,
    /// every chain intact, and nothing left to complete. Then completes what was missing, so the next round starts clean.
    /// </summary>
    private async Task<List<string>> ViolationsAsync(IReadOnlyList<string> order, Schema_ before, int? expectedPrefix = null)
    {
        var violations = new List<string>();
        if (!await TriggerEnabledAsync())
            violations.Add("the chain trigger is still disabled");
        var now = await SchemaAsync();
        if (!now.Keys.SequenceEqual(before.Keys))
            violations.Add($"foreign keys differ: [{string.Join("; ", now.Keys)}]");
        if (!now.Indexes.SequenceEqual(before.Indexes))
            violations.Add($"receipts' indexes differ: [{string.Join("; ", now.Indexes)}]");

        var loaded = await LoadedAsync(order);
        var prefix = order.TakeWhile(loaded.Contains).Count();
        if (loaded.Count != prefix)
            violations.Add(
                $"the loaded streams are not a prefix of the history: {prefix} in a row, then also "
                + string.Join(",", order.Skip(prefix).Where(loaded.Contains)));
        if (expectedPrefix is { } expected && prefix != expected)
            violations.Add($"{prefix} streams of the history loaded, expected exactly the first {expected}");
        var numbers = $"'{{{string.Join(",", order)}}}'::varchar[]";
        var receipts = await CountAsync(
            $"select count(*) from {Schema}.mt_doc_paymentreceipt where data->>'affiliationNumber' = any({numbers})");
        var registrations = await CountAsync(
            $"select count(*) from {Schema}.mt_doc_duiregistration where data->>'affiliationNumber' = any({numbers})");
        if (receipts != loaded.Count || registrations != loaded.Count)
            violations.Add($"{loaded.Count} streams loaded but {receipts} receipts and {registrations} DUI registrations");

        var unhashed = await CountAsync(
            $"""
            select count(*) from {Schema}.mt_events e where not exists (select from {Schema}.{EventChainSchema.HashesTable} h
            where h.stream_id = e.stream_id and h.version = e.version)
            """);
        if (unhashed > 0)
            violations.Add($"{unhashed} events without their hash");
        var broken = new List<string>();
        await foreach (var s in new ChainVerifier(Fixture.Store).VerifyAllAsync(CancellationToken.None))
            if (!s.Intact)
                broken.Add($"{s.StreamId} v{s.BrokenLink!.Version}: {s.BrokenLink.Reason}");
        if (broken.Count > 0)
            violations.Add($"the verifier finds {broken.Count} broken streams, e.g. {broken[0]}");
        var completed = await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None);
        if (completed != 0)
            violations.Add($"CompleteChainsAsync wrote {completed} hashes (expected 0)");
        foreach (var v in violations)
            output.WriteLine("VIOLATION: " + v);
        return violations;
    }

    // ---- a key in two parts ----

    [Fact]
    public async Task one_dui_in_two_parts_copied_at_once_is_refused_and_leaves_a_prefix()
    {
        var before = await SchemaAsync();
        var order = Numbers(90_001_000, 4);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Parts 2 and 3 (copied at once) enrol the same DUI on two accounts.
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => LoadAsync(
            [History(order[0]), History(order[1], dui: "01234567-8"), History(order[2], dui: "01234567-8"), History(order[3])]));

        clock.Elapsed.ShouldBeLessThan(HistoryLoadProbes.Patience);
        output.WriteLine($"{clock.Elapsed}: {refused.Message}");
        refused.Message.ShouldContain("The history cannot be loaded as it is");
        // Part 2 first (then part 3 is refused by the key), or part 3 first (part 2 times out waiting for it).
        var loaded = (await LoadedAsync(order)).Count;
        loaded.ShouldBeOneOf(1, 2);
        (await ViolationsAsync(order, before)).ShouldBeEmpty();
    }

    [Fact]
    public async Task one_account_in_two_parts_copied_at_once_is_refused_and_leaves_a_prefix()
    {
        var before = await SchemaAsync();
        var order = Numbers(90_001_100, 3);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The same stream key in parts 1 and 2 (a different DUI and transaction, so only the stream collides).
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => LoadAsync(
            [History(order[0]), History(order[0], dui: "07654321-0", reference: "OTHER-1"), History(order[2])]));

        clock.Elapsed.ShouldBeLessThan(HistoryLoadProbes.Patience);
        output.WriteLine($"{clock.Elapsed}: {refused.Message}");
        var loaded = await LoadedAsync(order);
        loaded.ShouldNotContain(order[2]);
        (await ViolationsAsync([order[0], order[2]], before)).ShouldBeEmpty();
        (await CountAsync($"select count(*) from {Schema}.mt_doc_paymentreceipt where id like '%OTHER-1%'")).ShouldBe(0);
    }

    [Fact]
    public async Task the_later_part_taking_the_key_first_times_out_the_earlier_and_nothing_is_loaded()
    {
        // Part 1 is large with the shared key at its end; part 2 (copied beside it) is one stream with that key, so it
        // inserts it first, and part 1 waits for part 2, which waits for part 1 to commit: the lock timeout ends it.
        var before = await SchemaAsync();
        var first = Numbers(90_001_200, 400);
        var shared = first[^1];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => LoadAsync(
            [[.. first.Select(n => History(n))], [History(shared, dui: "05555555-5", reference: "OTHER-2")]],
            eventsPerPart: 10_000));

        output.WriteLine($"{clock.Elapsed}: {refused.Message}");
        clock.Elapsed.ShouldBeLessThan(HistoryLoadProbes.Patience);
        // Either way a prefix: all of part 1 (part 2 refused by the key) or nothing (part 1 timed out).
        var loaded = (await LoadedAsync(first)).Count;
        loaded.ShouldBeOneOf(0, 400);
        (await ViolationsAsync(first, before)).ShouldBeEmpty();
    }

    [Fact]
    public async Task one_bank_transaction_in_parts_k_and_k_plus_2_refuses_the_later_and_keeps_the_two_before()
    {
        var before = await SchemaAsync();
        var order = Numbers(90_001_700, 5);

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => LoadAsync(
            [History(order[0]), History(order[1], reference: "TWICE-K"), History(order[2]),
             History(order[3], reference: "TWICE-K"), History(order[4])]));

        // Part k+2 starts only once part k committed: always the key, never the timeout.
        refused.Message.ShouldContain("bank transactions is already recorded");
        (await ViolationsAsync(order, before, expectedPrefix: 3)).ShouldBeEmpty();
    }

    // ---- a refused first or last part ----

    [Fact]
    public async Task a_refused_last_part_keeps_every_part_before_it_hashed()
    {
        var existing = Number(90_001_800);
        await LoadAsync([History(existing)]);
        var before = await SchemaAsync();
        var order = Numbers(90_001_801, 6);

        var refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            LoadAsync([.. order.Select(n => History(n)), History(existing)]));

        refused.Message.ShouldContain("has a stream on this ledger already");
        (await ViolationsAsync(order, before, expectedPrefix: 6)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_refused_first_part_keeps_nothing_of_the_parts_after_it()
    {
        var existing = Number(90_001_900);
        await LoadAsync([History(existing)]);
        var before = await SchemaAsync();
        var order = Numbers(90_001_901, 6);

        var refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            LoadAsync([History(existing), .. order.Select(n => History(n))]));

        refused.Message.ShouldContain("has a stream on this ledger already");
        (await ViolationsAsync(order, before, expectedPrefix: 0)).ShouldBeEmpty();
    }

    [Fact]
    public async Task hundreds_of_parts_with_a_refusal_in_the_middle_keep_exactly_the_parts_before_it()
    {
        var existing = Number(90_002_000);
        await LoadAsync([History(existing)]);
        var before = await SchemaAsync();
        var order = Numbers(90_002_001, 300);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Should.ThrowAsync<InvalidOperationException>(() =>
            LoadAsync([.. order.Take(150).Select(n => History(n)), History(existing), .. order.Skip(150).Select(n => History(n))]));

        output.WriteLine($"301 parts, refused at 151: {clock.Elapsed}");
        (await ViolationsAsync(order, before, expectedPrefix: 150)).ShouldBeEmpty();
    }

    [Fact]
    public async Task hundreds_of_parts_are_all_loaded_chained_and_numbered_past()
    {
        var before = await SchemaAsync();
        var order = Numbers(90_002_400, 300);

        var result = await LoadAsync([.. order.Select(n => History(n))]);

        result.HashedDuringCopy.ShouldBe(600);
        (await ViolationsAsync(order, before, expectedPrefix: 300)).ShouldBeEmpty();
        // Each part moves the affiliation numbers past its own, two parts at once: the sequence ends past the highest.
        (await CountAsync($"select last_value from {Schema}.affiliation_number_seq")).ShouldBeGreaterThanOrEqualTo(90_002_699);
        (await CountAsync($"select count(distinct seq_id) from {Schema}.mt_events where stream_id = any('{{{string.Join(",", order)}}}'::varchar[])"))
            .ShouldBe(600);
    }

    // ---- a load that ends otherwise: its input throws, or it is cancelled ----

    [Fact]
    public async Task a_dui_twice_in_one_part_refuses_it_while_the_parts_before_it_copy_and_they_are_kept_hashed()
    {
        // Parts of two accounts: parts 1 and 2 are being copied when part 3's documents are derived and refused.
        var before = await SchemaAsync();
        var order = Numbers(90_003_000, 6);

        var refused = await Should.ThrowAsync<ArgumentException>(() => LoadAsync(
            [History(order[0]), History(order[1]), History(order[2]), History(order[3]),
             History(order[4], dui: "09999999-9"), History(order[5], dui: "09999999-9")], eventsPerPart: 4));

        refused.Message.ShouldContain("is enrolled on two streams");
        (await ViolationsAsync(order, before, expectedPrefix: 4)).ShouldBeEmpty();
    }

    private static IEnumerable<IReadOnlyList<StreamAction>> Throwing(IEnumerable<IReadOnlyList<StreamAction>> shares, int after)
    {
        var given = 0;
        foreach (var share in shares)
        {
            if (given++ == after)
                throw new IOException("the history file could not be read further");
            yield return share;
        }
    }

    [Fact]
    public async Task shares_that_fail_midway_leave_every_committed_part_hashed()
    {
        var before = await SchemaAsync();
        var order = Numbers(90_003_100, 6);

        await Should.ThrowAsync<IOException>(() =>
            LoadAsync(Throwing(order.Select(n => (IReadOnlyList<StreamAction>)[History(n)]), after: 3)));

        // The parts in flight when the fourth share was asked for (the first two: the third was only being derived)
        // commit, and must be chained.
        (await LoadedAsync(order)).Count.ShouldBeGreaterThan(0);
        (await ViolationsAsync(order, before)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_load_cancelled_when_it_asks_for_a_share_leaves_a_hashed_prefix()
    {
        var before = await SchemaAsync();
        var order = Numbers(90_003_200, 12);
        using var cancel = new CancellationTokenSource();

        IEnumerable<IReadOnlyList<StreamAction>> Shares()
        {
            for (var i = 0; i < order.Count; i++)
            {
                if (i == 6)
                {
                    // The parts before have had the time to commit and be hashed, or not: the outcome must not depend on it.
                    Thread.Sleep(200);
                    cancel.Cancel();
                }
                yield return [History(order[i])];
            }
        }

        var thrown = await Should.ThrowAsync<Exception>(() => LoadAsync(Shares(), ct: cancel.Token));

        output.WriteLine($"{thrown.GetType().Name}: {thrown.Message}");
        thrown.ShouldBeAssignableTo<OperationCanceledException>();
        (await ViolationsAsync(order, before)).ShouldBeEmpty();
        // The lock is released: another load goes through.
        (await LoadAsync([History(Number(90_003_299))])).Hashed.ShouldBe(2);
    }

    [Fact]
    public async Task a_load_cancelled_at_random_moments_leaves_a_hashed_prefix_each_time()
    {
        var before = await SchemaAsync();
        // A whole load's duration first, to cancel within it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await LoadAsync([.. Numbers(90_004_000, 60).Select(n => History(n))]);
        var whole = clock.Elapsed;
        output.WriteLine($"a load of 60 parts: {whole}");
        var random = new Random(20261207);
        var failures = new List<string>();
        for (var round = 0; round < 12; round++)
        {
            var order = Numbers(90_004_100 + round * 100, 60);
            using var cancel = new CancellationTokenSource();
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * whole.TotalMilliseconds * 1.1);
            cancel.CancelAfter(delay);
            string outcome;
            try
            {
                await LoadAsync([.. order.Select(n => History(n))], ct: cancel.Token);
                outcome = "completed";
            }
            catch (OperationCanceledException e)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                outcome = $"NOT A CANCELLATION: {e.GetType().Name}: {e.Message}";
                failures.Add($"round {round} ({delay.TotalMilliseconds:F0} ms): {outcome}");
            }
            var violations = await ViolationsAsync(order, before);
            var loaded = (await LoadedAsync(order)).Count;
            output.WriteLine($"round {round}: cancelled after {delay.TotalMilliseconds:F0} ms: {outcome}, {loaded} loaded, "
                + $"{violations.Count} violations");
            failures.AddRange(violations.Select(v => $"round {round} ({delay.TotalMilliseconds:F0} ms, {loaded} loaded): {v}"));
        }
        failures.ShouldBeEmpty();
    }
}
