using System.Text;
using Alba;
using Marten;
using Npgsql;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Projections.Integrity;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The hash chain: clean ledgers verify, changes made with SQL behind the service's back are found.</summary>
public sealed class IntegrityApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private async Task<string> AccountWithHistoryAsync()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m, "T-1");   // v2 contribution, v3 credit of 4.08
        await Host.PayAsync(number, "2018-03-01", 55.92m, "T-2");   // v4 credit applied, v5 contribution …
        return number;
    }

    private Task<StreamIntegrity> VerifyAsync(string number) =>
        Host.GetJsonAsync<StreamIntegrity>($"/api/insured/{number}/verify", Keys.Auditor);

    private Task SqlAsync(string sql, params (string Name, object Value)[] parameters) => Host.PlantWithSqlAsync(sql, parameters);

    private async Task<List<StreamVerification>> VerifyAllAsync(int streamsPerWalk = 1000)
    {
        var all = new List<StreamVerification>();
        var verifier = new ChainVerifier(Fixture.Store) { StreamsPerWalk = streamsPerWalk };
        await foreach (var s in verifier.VerifyAllAsync(CancellationToken.None)) all.Add(s);
        return all;
    }

    [Fact]
    public async Task a_clean_ledger_verifies_every_stream_including_bank_files()
    {
        var number = await AccountWithHistoryAsync();
        var other = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var file = Encoding.UTF8.GetBytes("bankCode,transactionId,paidAt,affiliationNumber,amount,channel\n"
            + $"AGRICOLA,000912345,2018-03-05T10:15:00-06:00,{other},58.72,ONLINE\n"
            + "AGRICOLA,000912346,2018-03-05T10:15:00-06:00,999999999,10.00,ONLINE\n");
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/bank-files");
            s.ConfigureHttpContext(c => { c.Request.ContentType = "text/csv"; c.Request.Body = new MemoryStream(file); c.Request.ContentLength = file.Length; });
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(200);
        });

        var account = await VerifyAsync(number);
        account.Intact.ShouldBeTrue();
        account.BrokenLink.ShouldBeNull();
        account.HeadVersion.ShouldBe(account.Events);
        account.HeadHash.ShouldNotBeNull().Length.ShouldBe(64);

        var all = await VerifyAllAsync();
        all.Count.ShouldBe(5);                                   // two accounts, the bank file, the rate policy, the banks
        all.ShouldAllBe(s => s.Intact);
        all.Sum(s => s.Events).ShouldBe(await Host.EventCountAsync(includingPolicy: true));
    }

    [Fact]
    public async Task the_ledger_walked_a_few_streams_at_a_time_gives_what_one_walk_gives()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
            await Host.PayAsync(number, "2018-02-01", 60.00m, $"W-{i}-1");   // v2 contribution, v3 credit of 4.08
            await Host.PayAsync(number, "2018-03-01", 55.92m, $"W-{i}-2");   // v4 credit applied, v5 contribution …
            numbers.Add(number);
        }
        // Enrolled only: no payment of it reaches the reserve's daemon while its stream row is gone.
        numbers.Add(await Host.EnrolAsync(enrolledOn: "2018-01-10"));
        await SqlAsync("update salex.mt_events set data = jsonb_set(data, '{amount}', '40.08') where stream_id = @s and version = 3", ("s", numbers[1]));
        await SqlAsync("delete from salex.event_hashes where stream_id = @s and version = 2", ("s", numbers[3]));
        // A stream row removed behind the keys' back (they would cascade): its events and hashes are walked all the same.
        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        async Task ExecAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("s", numbers[4]) } };
            await command.ExecuteNonQueryAsync();
        }
        await ExecAsync("create temp table removed_stream as select * from salex.mt_streams where id = @s");
        await ExecAsync("set session_replication_role = replica; delete from salex.mt_streams where id = @s; set session_replication_role = origin");
        try
        {
            var whole = await VerifyAllAsync();
            whole.Select(s => s.StreamId).ShouldBe(whole.Select(s => s.StreamId).Order(StringComparer.Ordinal));
            whole.Single(s => s.StreamId == numbers[1]).BrokenLink.ShouldNotBeNull().Version.ShouldBe(3);
            whole.Single(s => s.StreamId == numbers[3]).BrokenLink.ShouldNotBeNull().Version.ShouldBe(2);
            whole.Single(s => s.StreamId == numbers[4]).Events.ShouldBe(1);
            whole.Where(s => s.StreamId == numbers[0] || s.StreamId == numbers[2]).ShouldAllBe(s => s.Intact);
            foreach (var streamsPerWalk in new[] { 1, 2, 3 })
                (await VerifyAllAsync(streamsPerWalk)).ShouldBe(whole, $"{streamsPerWalk} streams per walk");
        }
        finally
        {
            // The stream row back as it was: no orphaned events or gap in the sequence reach the next tests (the reserve
            // daemon stalled in a later test twice in five full runs while this test orphaned an account's payments).
            await ExecAsync("insert into salex.mt_streams select * from removed_stream");
        }
    }

    [Fact]
    public async Task an_event_changed_with_sql_is_reported_at_its_version()
    {
        var number = await AccountWithHistoryAsync();
        (await VerifyAsync(number)).Intact.ShouldBeTrue();

        // Someone with database access gives back more credit than was kept.
        await SqlAsync("update salex.mt_events set data = jsonb_set(data, '{amount}', '40.08') where stream_id = @s and version = 3", ("s", number));

        var result = await VerifyAsync(number);
        result.Intact.ShouldBeFalse();
        var link = result.BrokenLink.ShouldNotBeNull();
        link.Version.ShouldBe(3);
        link.ExpectedHash.ShouldNotBeNull();
        link.FoundHash.ShouldNotBeNull();
        link.ExpectedHash.ShouldNotBe(link.FoundHash);
        link.Reason.ShouldContain("content");

        var all = await VerifyAllAsync();
        all.Single(s => !s.Intact).StreamId.ShouldBe(number);
    }

    [Fact]
    public async Task metadata_changed_with_sql_is_reported_too()
    {
        var number = await AccountWithHistoryAsync();
        await SqlAsync("update salex.mt_events set user_name = 'someone else' where stream_id = @s and version = 2", ("s", number));
        (await VerifyAsync(number)).BrokenLink.ShouldNotBeNull().Version.ShouldBe(2);
    }

    [Fact]
    public async Task a_hash_row_changed_with_sql_is_reported_at_its_version()
    {
        var number = await AccountWithHistoryAsync();
        await SqlAsync("update salex.event_hashes set hash = repeat('a', 64) where stream_id = @s and version = 2", ("s", number));

        var link = (await VerifyAsync(number)).BrokenLink.ShouldNotBeNull();
        link.Version.ShouldBe(2);
        link.FoundHash.ShouldBe(new string('a', 64));
    }

    [Fact]
    public async Task a_deleted_event_is_reported()
    {
        var number = await AccountWithHistoryAsync();
        await SqlAsync("delete from salex.mt_events where stream_id = @s and version = 2", ("s", number));

        var link = (await VerifyAsync(number)).BrokenLink.ShouldNotBeNull();
        link.Version.ShouldBe(2);
        link.Reason.ShouldContain("missing");
    }

    [Fact]
    public async Task a_rewritten_history_with_recomputed_hashes_no_longer_matches_the_published_digest()
    {
        var number = await AccountWithHistoryAsync();
        var digest = await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(201);
        });
        var made = (await digest.ReadAsJsonAsync<DigestView>())!;
        made.Streams.ShouldBe(3);                                // the account, the rate policy and the partner banks
        made.Events.ShouldBe(await Host.EventCountAsync(includingPolicy: true) - 1);  // every event but the digest's own
        made.Date.ShouldBe("2026-11-23");

        var listed = await Host.GetJsonAsync<List<DigestView>>("/api/digests", Keys.Auditor);
        listed.Single().Digest.ShouldBe(made.Digest);
        var check = await Host.GetJsonAsync<DigestCheck>("/api/digests/2026-11-23", Keys.Auditor);
        check.Matches.ShouldBeTrue();
        check.Recomputed.ShouldBe(made.Digest);

        // A forger who also recomputes the whole chain from the changed event on keeps verify quiet…
        await SqlAsync("update salex.mt_events set data = jsonb_set(data, '{amount}', '40.08') where stream_id = @s and version = 3", ("s", number));
        await SqlAsync("""
            update salex.event_hashes h set hash = 'x' where stream_id = @s and version >= 3;
            do $$ declare r record; prev varchar; begin
              for r in select * from salex.mt_events where stream_id = (select stream_id from salex.event_hashes where hash = 'x' limit 1) order by version loop
                if r.version >= 3 then
                  update salex.event_hashes set hash = salex.event_chain_hash(r.stream_id, r.version, r.id, r.type, r.timestamp, r.data, r.headers,
                    r.correlation_id, r.causation_id, r.user_name, prev) where stream_id = r.stream_id and version = r.version;
                end if;
                select hash into prev from salex.event_hashes where stream_id = r.stream_id and version = r.version;
              end loop; end $$;
            """, ("s", number));
        (await VerifyAsync(number)).Intact.ShouldBeTrue();

        // …but the digest recorded before no longer matches the ledger's heads.
        var after = await Host.GetJsonAsync<DigestCheck>("/api/digests/2026-11-23", Keys.Auditor);
        after.Matches.ShouldBeFalse();
        after.Digest.ShouldBe(made.Digest);
    }

    [Fact]
    public async Task a_digest_exports_its_inputs_as_csv_and_only_admins_make_one()
    {
        var number = await AccountWithHistoryAsync();
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.StatusCodeShouldBe(403);
        });
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(201);
        });
        var verified = await VerifyAsync(number);
        var policy = await VerifyAsync(Salex.Ledger.Api.Features.Rates.RateScheduleCache.StreamId);
        var banks = await VerifyAsync(Salex.Ledger.Api.Features.Banks.PartnerBankRegistry.StreamId);

        var csv = await Host.Scenario(s =>
        {
            s.Get.Url("/api/digests/2026-11-23");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.WithRequestHeader("Accept", "text/csv");
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("text/csv; charset=utf-8");
        });
        csv.ReadAsText().ShouldBe($"streamId,version,headHash\r\n{number},{verified.HeadVersion},{verified.HeadHash}\r\n"
            + $"partner-banks,{banks.HeadVersion},{banks.HeadHash}\r\n"
            + $"policy-rates,{policy.HeadVersion},{policy.HeadHash}\r\n");

        await Host.Scenario(s =>
        {
            s.Get.Url("/api/digests/2026-11-22");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task health_is_503_while_the_event_chain_is_off_and_says_so()
    {
        async Task Trigger(string onOrOff)
        {
            await using var connection = Fixture.Store.Storage.Database.CreateConnection();
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"alter table salex.mt_events {onOrOff} trigger {EventChainSchema.TriggerName}", connection);
            await command.ExecuteNonQueryAsync();
        }
        await Trigger("disable");
        try
        {
            var result = await Host.Scenario(s => { s.Get.Url("/health"); s.StatusCodeShouldBe(503); });
            var report = await result.ReadAsJsonAsync<Salex.Ledger.Api.Features.HealthReport>();
            report.ShouldBe(new Salex.Ledger.Api.Features.HealthReport("Unhealthy", "Ready", "event chain off"));
            (await EventChainGuard.ProblemAsync(Fixture.Store, CancellationToken.None))!.ShouldContain("is disabled");
        }
        finally
        {
            await Trigger("enable");
        }
        await Host.Scenario(s => { s.Get.Url("/health"); s.StatusCodeShouldBe(200); });
        (await EventChainGuard.ProblemAsync(Fixture.Store, CancellationToken.None)).ShouldBeNull();
    }
}
