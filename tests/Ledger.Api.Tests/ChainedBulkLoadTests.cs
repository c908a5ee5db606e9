using JasperFx.Events;
using Microsoft.Extensions.DependencyInjection;
using Marten;
using NodaTime;
using Salex.Projections.Integrity;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The migration path for a history: bulk-loaded with the trigger off, chained afterwards, intact.</summary>
public sealed class ChainedBulkLoadTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static readonly string Schema = Salex.Projections.LedgerStore.Schema;

    private Regime Regime => Host.Services.GetRequiredService<Regime>();

    private StreamAction History(string number, string name = "Ana María López", decimal credit = 4.08m) =>
        HistoryLoadProbes.History(Fixture.Store, number, name: name, credit: credit);

    private Task<IReadOnlyList<string>> ForeignKeysAsync() => HistoryLoadProbes.ForeignKeysAsync(Fixture.Store);

    /// <summary>Schema statements as the owner runs them (they touch no row).</summary>
    private async Task DdlAsync(string sql)
    {
        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task<bool> TriggerEnabledAsync() => HistoryLoadProbes.TriggerEnabledAsync(Fixture.Store);

    [Fact]
    public async Task the_hashes_the_load_computes_are_the_ones_the_trigger_would_write_whatever_the_text()
    {
        // Text that jsonb stores otherwise than a serializer writes it: escapes, quotes, backslashes, control
        // characters, characters outside the BMP, HTML-sensitive ones; and money with trailing zeros.
        var result = await ChainedBulkLoad.LoadAsync(Fixture.Store,
            [
                History("900000045", "José \"Pepe\" Núñez \\ <b>&amp;</b> 'ñ'\t\u0001\u001f 😀 ǅ \u2028 \u007f"),
                History("900000053", "Ана Мария 李 عائشة", 10.50m),
                History("900000061", "O'Brien / Ölçer", 0.10m),
            ], Regime, CancellationToken.None);
        result.Hashed.ShouldBe(6);
        result.HashedDuringCopy.ShouldBe(6);
        var loaded = await HashesAsync();

        // The same events hashed again by the trigger's own SQL expression (the set-based completion, which another
        // test holds equal to the trigger).
        await Host.PlantWithSqlAsync($"delete from {Schema}.{EventChainSchema.HashesTable}");
        (await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None)).ShouldBe(loaded.Count);

        (await HashesAsync()).ShouldBe(loaded, ignoreOrder: true);
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
    }

    [Fact]
    public async Task a_history_copied_is_stored_as_martens_bulk_insertion_stores_it()
    {
        // The same events with the same metadata, one stream through Marten's bulk insertion, one through the load's
        // own COPY: every column Marten writes must come out the same (a Marten upgrade that writes otherwise fails
        // here, not in a migration).
        StreamAction Copy(string key)
        {
            var history = History("900000111", "Ana \"Nena\" Peña 😀");
            var action = StreamAction.Start((Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events, key,
                history.Events.Select(e => e.Data).ToArray());
            action.AggregateType = typeof(Salex.Ledger.Accounts.Account);
            for (var i = 0; i < action.Events.Count; i++)
            {
                var e = action.Events[i];
                e.Timestamp = new DateTimeOffset(2018, 1, 10 + i, 14, 30, 15, 123, TimeSpan.Zero);
                e.UserName = i == 0 ? "enrolment-office" : "bank-file";
                e.CorrelationId = $"migrated-{i}";
                e.CausationId = i == 0 ? null : "migrated-0";
                e.Headers = i == 0 ? null : new Dictionary<string, object> { ["channel"] = "migration", ["line"] = 17 };
            }
            return action;
        }
        await Fixture.Store.BulkInsertEventsAsync([Copy("900000111")]);
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [Copy("900000129")], Regime, CancellationToken.None);

        async Task<IReadOnlyList<string>> RowsAsync(string key)
        {
            await using var session = Fixture.Store.QuerySession();
            var events = await session.AdvancedSql.QueryAsync<string>(
                $"""
                select concat_ws(' | ', version, type, mt_dotnet_type, data::text, headers::text, timestamp, tenant_id,
                       correlation_id, causation_id, user_name, is_archived, id is not null, bdata is null)
                from {Schema}.mt_events where stream_id = '{key}' order by version
                """, CancellationToken.None);
            var stream = await session.AdvancedSql.QueryAsync<string>(
                $"select concat_ws(' | ', type, version, tenant_id, is_archived, compacted_version, created is not null) from {Schema}.mt_streams where id = '{key}'",
                CancellationToken.None);
            return [..events, ..stream];
        }
        var copied = await RowsAsync("900000129");
        copied.Count.ShouldBe(3);
        copied.ShouldBe(await RowsAsync("900000111"));

        // Marten reads the copied stream back, and the service appends to the ledger after it.
        await using (var session = Fixture.Store.QuerySession())
        {
            var events = await session.Events.FetchStreamAsync("900000129");
            events.Select(e => e.Data.GetType()).ShouldBe([typeof(Enrolled), typeof(CreditRecorded)]);
            events[1].Headers!["channel"].ToString().ShouldBe("migration");
        }
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await using (var session = Fixture.Store.QuerySession())
        {
            var sequences = await session.AdvancedSql.QueryAsync<long>(
                $"select seq_id from {Schema}.mt_events where stream_id in ('900000129', '{number}') order by seq_id",
                CancellationToken.None);
            sequences.Count.ShouldBe(3);
            (sequences[1] - sequences[0]).ShouldBe(1L);
        }
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
    }

    [Fact]
    public async Task a_stream_without_a_key_fails_its_part_and_writes_nothing_of_it()
    {
        // (A stream without events cannot be given: Marten refuses to start one.)
        var graph = (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events;
        var blank = StreamAction.Start(graph, " ", History("900000137").Events.Select(e => e.Data).ToArray());

        await Should.ThrowAsync<ArgumentException>(() =>
            ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000145"), blank], Regime, CancellationToken.None));

        await using var session = Fixture.Store.QuerySession();
        (await session.Events.FetchStreamStateAsync("900000145")).ShouldBeNull();
        (await TriggerEnabledAsync()).ShouldBeTrue();
    }

    [Fact]
    public async Task the_trigger_and_the_foreign_keys_are_back_after_a_load_that_failed()
    {
        var keys = await ForeignKeysAsync();
        keys.Count.ShouldBe(2);
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000079")], Regime, CancellationToken.None);

        // The same stream started again: the copy fails on the streams' primary key, halfway through the load.
        await Should.ThrowAsync<Exception>(() => ChainedBulkLoad.LoadAsync(Fixture.Store,
            [[History("900000087")], [History("900000079")]], Regime, CancellationToken.None));

        (await TriggerEnabledAsync()).ShouldBeTrue();
        (await ForeignKeysAsync()).ShouldBe(keys);
        // What the failed load committed before it failed is chained: its parts were hashed as they went in.
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
        (await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task a_schema_migration_puts_back_what_a_killed_load_left_off()
    {
        var keys = await ForeignKeysAsync();
        var indexes = await ReceiptIndexesAsync();
        indexes.Count.ShouldBe(3);
        // What a load has done when its process is killed: the trigger off, the foreign keys and the receipts' secondary
        // indexes dropped.
        await DdlAsync(
            $"alter table {Schema}.mt_events disable trigger {EventChainSchema.TriggerName};" +
            $"alter table {Schema}.mt_events drop constraint fkey_mt_events_stream_id;" +
            $"alter table {Schema}.{EventChainSchema.HashesTable} drop constraint fkey_event_hashes_stream_id;" +
            $"drop index {Schema}.mt_doc_paymentreceipt_idx_bank; drop index {Schema}.mt_doc_paymentreceipt_idx_day;");

        // db-apply (or a Development start) applies the configured schema.
        await Fixture.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        (await TriggerEnabledAsync()).ShouldBeTrue();
        (await ForeignKeysAsync()).ShouldBe(keys);
        (await ReceiptIndexesAsync()).ShouldBe(indexes);
    }

    [Fact]
    public async Task the_receipts_indexes_are_back_after_a_load_and_after_one_that_failed()
    {
        var indexes = await ReceiptIndexesAsync();
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000152")], Regime, CancellationToken.None);
        (await ReceiptIndexesAsync()).ShouldBe(indexes);
        await Should.ThrowAsync<Exception>(() => ChainedBulkLoad.LoadAsync(Fixture.Store,
            [[History("900000160")], [History("900000152")]], Regime, CancellationToken.None));
        (await ReceiptIndexesAsync()).ShouldBe(indexes);
    }

    private async Task<IReadOnlyList<string>> ReceiptIndexesAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        return await session.AdvancedSql.QueryAsync<string>(
            $"select indexdef from pg_indexes where schemaname = '{Schema}' and tablename = 'mt_doc_paymentreceipt' order by 1",
            CancellationToken.None);
    }

    [Fact]
    public async Task a_second_load_while_one_runs_is_refused_and_changes_nothing()
    {
        var keys = await ForeignKeysAsync();
        var before = (await HashesAsync()).Count;
        // Another load holds the lock (here, a connection that took it as a load would).
        await using var other = Fixture.Store.Storage.Database.CreateConnection();
        await other.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"select pg_advisory_lock({ChainedBulkLoad.LoadLockId})", other))
            await take.ExecuteNonQueryAsync();

        var refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000103")], Regime, CancellationToken.None));

        refused.Message.ShouldContain("Another history load is running");
        (await TriggerEnabledAsync()).ShouldBeTrue();
        (await ForeignKeysAsync()).ShouldBe(keys);
        (await HashesAsync()).Count.ShouldBe(before);
        await using var session = Fixture.Store.QuerySession();
        (await session.Events.FetchStreamStateAsync("900000103")).ShouldBeNull();

        // Once the other load is over, the same load goes through.
        await using (var release = new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({ChainedBulkLoad.LoadLockId})", other))
            await release.ExecuteNonQueryAsync();
        (await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000103")], Regime, CancellationToken.None)).Hashed.ShouldBe(2);
    }

    [Fact]
    public async Task the_foreign_keys_hold_again_after_a_load()
    {
        var keys = await ForeignKeysAsync();
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000095")], Regime, CancellationToken.None);

        (await ForeignKeysAsync()).ShouldBe(keys);
        // They are enforced: a hash of a stream that does not exist is refused.
        await Should.ThrowAsync<Npgsql.PostgresException>(() => Host.PlantWithSqlAsync(
            $"insert into {Schema}.{EventChainSchema.HashesTable} (stream_id, version, hash) values ('NO-SUCH-STREAM', 1, 'x')"));
    }

    private async Task<Dictionary<(string, long), string>> HashesAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"select stream_id || ' ' || version || ' ' || hash from {Schema}.{EventChainSchema.HashesTable}",
            CancellationToken.None);
        return rows.Select(r => r.Split(' ')).ToDictionary(r => (r[0], long.Parse(r[1])), r => r[2]);
    }

    private async Task<List<StreamVerification>> VerifyAllAsync()
    {
        var all = new List<StreamVerification>();
        await foreach (var s in new ChainVerifier(Fixture.Store).VerifyAllAsync(CancellationToken.None)) all.Add(s);
        return all;
    }

    [Fact]
    public async Task a_bulk_loaded_history_gets_every_hash_and_verifies_intact()
    {
        var before = (await HashesAsync()).Count;
        var result = await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000011"), History("900000029")],
            Regime, CancellationToken.None);

        result.Hashed.ShouldBe(4);
        (await HashesAsync()).Count.ShouldBe(before + 4);
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
        (await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task the_chain_computed_afterwards_is_the_one_the_trigger_writes()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m, "T-1");
        await Host.PayAsync(number, "2018-03-01", 55.92m, "T-2");
        var byTrigger = await HashesAsync();

        // Every hash of the ledger dropped (as the schema owner may), then computed again set-based.
        await Host.PlantWithSqlAsync($"delete from {Schema}.{EventChainSchema.HashesTable}");
        (await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None)).ShouldBe(byTrigger.Count);

        (await HashesAsync()).ShouldBe(byTrigger, ignoreOrder: true);
    }

    [Fact]
    public async Task the_trigger_is_on_again_after_a_load()
    {
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000037")], Regime, CancellationToken.None);
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");   // appended through the service: hashed at once

        var hashes = await HashesAsync();
        hashes.Keys.ShouldContain((number, 1L));
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
    }

    /// <summary>A load with parts of <paramref name="eventsPerPart"/> events (a history here has two: each its own part,
    /// and two parts copied at once).</summary>
    private Task<ChainedBulkLoad.Result> LoadInPartsAsync(IReadOnlyList<StreamAction> streams, int eventsPerPart = 2) =>
        HistoryLoadProbes.WithinPatience(patience =>
            ChainedBulkLoad.LoadAsync(Fixture.Store, [streams], _ => Task.FromResult(Regime), patience, eventsPerPart));

    private async Task<bool> LoadedAsync(string number) =>
        (await HistoryLoadProbes.LoadedAsync(Fixture.Store, [number])).Count == 1;

    [Fact]
    public async Task parts_copied_at_once_keep_their_order_when_one_is_refused()
    {
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000301")], Regime, CancellationToken.None);

        // Four parts: the second is refused (its account is on the ledger already) while the third copies beside it.
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => LoadInPartsAsync(
            [History("900000319"), History("900000301"), History("900000327"), History("900000335")]));

        refused.Message.ShouldContain("has a stream on this ledger already");
        refused.Message.ShouldContain("nor of any after it");
        (await LoadedAsync("900000319")).ShouldBeTrue();
        // The part copied beside the refused one waited for it before committing, and rolled back with it.
        (await LoadedAsync("900000327")).ShouldBeFalse();
        (await LoadedAsync("900000335")).ShouldBeFalse();
        (await Host.EventCountAsync()).ShouldBe(4);
        (await TriggerEnabledAsync()).ShouldBeTrue();
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
        (await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task many_parts_copied_two_at_a_time_are_all_loaded_and_chained()
    {
        var numbers = Enumerable.Range(0, 25).Select(i => Salex.Ledger.Enrolment.AffiliationNumber.FromSequence(90_000_400 + i)).ToList();

        var result = await LoadInPartsAsync([.. numbers.Select(n => History(n))]);

        result.Hashed.ShouldBe(50);
        result.HashedDuringCopy.ShouldBe(50);
        (await Host.EventCountAsync()).ShouldBe(50);
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
        (await ChainedBulkLoad.CompleteChainsAsync(Fixture.Store, CancellationToken.None)).ShouldBe(0);
        // Every part took a block of numbers of its own: no number twice, a stream's events one after the other.
        await using var session = Fixture.Store.QuerySession();
        var loaded = $"'{{{string.Join(",", numbers)}}}'::varchar[]";
        var gaps = await session.AdvancedSql.QueryAsync<long>(
            $"""
            select max(seq_id) - min(seq_id) from {Schema}.mt_events where stream_id = any({loaded})
            group by stream_id having count(*) = 2
            union all select count(distinct seq_id) from {Schema}.mt_events where stream_id = any({loaded})
            """, CancellationToken.None);
        gaps.ShouldBe([.. Enumerable.Repeat(1L, 25), 50L]);
    }

    [Fact]
    public async Task one_bank_transaction_in_two_parts_copied_at_once_is_refused_and_nothing_waits_for_ever()
    {
        var graph = (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events;
        StreamAction Paying(string number) => StreamAction.Start(graph, number,
        [
            new Enrolled(number, Scenarios.NewDui(), "Ana María López", new LocalDate(1985, 6, 2), "US", null,
                new LocalDate(2018, 1, 10), new YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)),
            new CreditRecorded(new PaymentSource(new LocalDate(2018, 2, 1), "AGRICOLA", "TWICE-1", "ONLINE"), 4.08m),
        ]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Whichever of the two parts inserts the receipt first, the other is refused: the second one by the key once the
        // first commits, or the first one after the lock timeout (it waits for the second, which waits for it).
        var refused = await Should.ThrowAsync<InvalidOperationException>(() =>
            LoadInPartsAsync([Paying("900000343"), Paying("900000351"), History("900000369")]));

        clock.Elapsed.ShouldBeLessThan(HistoryLoadProbes.Patience);
        refused.Message.ShouldContain("The history cannot be loaded as it is");
        (await LoadedAsync("900000351")).ShouldBeFalse();
        (await LoadedAsync("900000369")).ShouldBeFalse();
        await using var session = Fixture.Store.QuerySession();
        var receipts = await session.AdvancedSql.QueryAsync<long>(
            $"select count(*) from {Schema}.mt_doc_paymentreceipt", CancellationToken.None);
        receipts.Single().ShouldBe(await LoadedAsync("900000343") ? 1 : 0);
        (await TriggerEnabledAsync()).ShouldBeTrue();
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
    }
}
