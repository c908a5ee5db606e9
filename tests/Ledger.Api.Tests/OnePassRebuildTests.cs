using Alba;
using Marten;
using Npgsql;
using Salex.Ledger.Accounts;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Projections.Rebuild;
using Salex.Projections.Reserve;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// The one-pass rebuild of the account documents and the reserve (<see cref="OnePassRebuild"/>) against Marten's daemon,
/// which the JasperFx <c>projections rebuild</c> command runs: on a ledger with every kind of account event, both leave
/// the same rows, column by column, and the reserve's daemon goes on from where the rebuild stopped.
/// </summary>
public sealed class OnePassRebuildTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public async Task a_one_pass_rebuild_stores_what_martens_rebuild_stores()
    {
        await LedgerOfEveryKindAsync();
        // An archived account: Marten's daemon and its live aggregation leave archived events out, so must the pass.
        var archived = await Host.EnrolAsync(enrolledOn: "2026-01-10");
        await Host.PlantWithSqlAsync(
            "update salex.mt_events set is_archived = true where stream_id = @id; update salex.mt_streams set is_archived = true where id = @id",
            ("id", archived)
        );
        using (var daemon = await Fixture.Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<Account>(TimeSpan.FromSeconds(60), CancellationToken.None);
            await daemon.RebuildProjectionAsync<BankFileReconciliation>(TimeSpan.FromSeconds(60), CancellationToken.None);
            await daemon.RebuildProjectionAsync(ReserveYearProjection.Name, TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        var byMarten = await ReadModelRowsAsync();
        byMarten.Accounts.Count.ShouldBe(6);
        byMarten.Accounts.ShouldNotContain(a => a.StartsWith(archived + "|"));
        byMarten.Files.Count.ShouldBe(1);
        byMarten.Reserve.Count.ShouldBe(6);   // (year, insured): 2018 and 2019 of one, and one year of each other payer

        // Every document away first, so that a document the pass forgot cannot pass as one it wrote.
        await Host.PlantWithSqlAsync(
            "delete from salex.mt_doc_account; delete from salex.mt_doc_bankfilereconciliation; delete from salex.reserve_contributions"
        );
        var rebuilt = await OnePassRebuild.RunAsync(Fixture.Store, CancellationToken.None);

        var byOnePass = await ReadModelRowsAsync();
        byOnePass.Accounts.ShouldBe(byMarten.Accounts);
        byOnePass.Files.ShouldBe(byMarten.Files);
        byOnePass.Reserve.ShouldBe(byMarten.Reserve);
        byOnePass.ReserveMark.ShouldBe(byMarten.ReserveMark);
        rebuilt.Accounts.ShouldBe(6);
        rebuilt.BankFiles.ShouldBe(1);
        rebuilt.ReserveRows.ShouldBe(byMarten.Reserve.Count);
        rebuilt.HighWaterMark.ShouldBe(byMarten.ReserveMark);
        rebuilt.Events.ShouldBe(await ScalarAsync("select count(*) from salex.mt_events where not is_archived"));
        (await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }

    [Fact]
    public async Task after_a_one_pass_rebuild_the_reserve_daemon_counts_the_next_payments_once()
    {
        await LedgerOfEveryKindAsync();
        await OnePassRebuild.RunAsync(Fixture.Store, CancellationToken.None);
        var before = await ReserveAsync(2026);

        Today(2026, 11, 23);
        var number = await Host.EnrolAsync(enrolledOn: "2026-11-20");
        await Host.PayAsync(number, "2026-11-23", 68.04m, "AFTER-REBUILD");
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));

        // One period more in 2026, counted once: the daemon went on after the rebuild's mark, not from the start.
        (await ReserveAsync(2026) - before).ShouldBe(await BaseOfAsync(number));
        (await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }

    /// <summary>An event the ledger cannot read, in the last account stream (the read goes in stream order, so every
    /// other stream has been folded and most written when it fails): of a type it does not know, or data that does not
    /// fit its type. Nothing changes, the bank files' reconciliations included, and the error names the event.</summary>
    [Theory]
    [InlineData("no_such_event", "{}", "is of type 'no_such_event', which this ledger does not know")]
    [InlineData("contribution_paid", "{\"source\": 5}", "('contribution_paid') cannot be read as ContributionPaid")]
    public async Task a_rebuild_that_fails_halfway_changes_nothing(string type, string data, string reason)
    {
        await LedgerOfEveryKindAsync();
        var before = await ReadModelRowsAsync();
        var last = (await LinesAsync("select max(id) from salex.mt_doc_account")).Single();
        await Host.PlantWithSqlAsync(
            "insert into salex.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) "
                + "select nextval('salex.mt_events_sequence'), gen_random_uuid(), @id, max(version) + 1, @data::jsonb, @type, now(), "
                + "'*DEFAULT*', 'Nowhere.NoSuchEvent' from salex.mt_events where stream_id = @id",
            ("id", last),
            ("data", data),
            ("type", type)
        );

        var failure = await Should.ThrowAsync<InvalidOperationException>(() =>
            OnePassRebuild.RunAsync(Fixture.Store, CancellationToken.None)
        );

        failure.Message.ShouldContain($"of stream {last}");
        failure.Message.ShouldContain(reason);
        failure.Message.ShouldContain("nothing was rebuilt");
        var after = await ReadModelRowsAsync();
        after.Accounts.ShouldBe(before.Accounts);
        after.Files.ShouldBe(before.Files);
        after.Reserve.ShouldBe(before.Reserve);
        after.ReserveMark.ShouldBe(before.ReserveMark);
    }

    /// <summary>A session holding the accounts' table (an open transaction in psql): the pass gives up after its lock
    /// wait with PostgreSQL's own "lock not available", which the command reports in one line, and changes nothing.</summary>
    [Theory]
    [InlineData("select count(*) from salex.mt_doc_account")]
    [InlineData("select count(*) from salex.reserve_contributions")]
    [InlineData("select 1 from salex.mt_event_progression where name = 'ReserveYears:All' for update")]
    public async Task a_rebuild_blocked_by_another_sessions_lock_gives_up_and_changes_nothing(string holding)
    {
        await LedgerOfEveryKindAsync();
        var before = await ReadModelRowsAsync();
        await using var holder = new NpgsqlConnection(TestDatabases.Connection);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        (await new NpgsqlCommand(holding, holder, tx).ExecuteScalarAsync()).ShouldNotBeNull();

        var refused = await Should.ThrowAsync<PostgresException>(() =>
            OnePassRebuild.RunAsync(Fixture.Store, TimeSpan.FromSeconds(1), CancellationToken.None)
        );

        refused.SqlState.ShouldBe(PostgresErrorCodes.LockNotAvailable);
        await tx.RollbackAsync();
        (await ReadModelRowsAsync()).ShouldBeEquivalentTo(before);
    }

    /// <summary>Accounts of every kind of event, in the order of the days they happened: enrolments, payments on time,
    /// late with a surcharge and in advance, a bank file with suspense assigned and paid back, credit, a lapse,
    /// beneficiaries, a return.</summary>
    private async Task LedgerOfEveryKindAsync()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m, "P-1");
        await Host.PayAsync(number, "2018-03-01", 10 * 55.92m, "P-2");
        await Host.PayAsync(number, "2019-01-05", 55.92m, "P-3");
        var other = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var file = await Host.ImportCsvAsync(
            BankFiles.Csv(
                $"AGRICOLA,000912345,2018-03-05T10:15:00-06:00,{other},58.72,ONLINE",
                "AGRICOLA,000912346,2018-03-05T10:15:00-06:00,999999999,10.00,ONLINE",
                "AGRICOLA,000912347,2018-03-05T10:15:00-06:00,999999998,12.00,ONLINE",
                $"AGRICOLA,000912348,2018-04-25T10:15:00-06:00,{other},80.00,ONLINE"
            )
        );
        await PostAsync($"/api/suspense/{file.FileId}-3/assign", new { affiliationNumber = number }, Keys.Finance, 200);
        await PostAsync($"/api/suspense/{file.FileId}-4/refund", new { reason = "not insured" }, Keys.Finance, 200);
        await Host.EnrolAsync(enrolledOn: "2018-01-10");   // nothing paid: lapsed by the sweep
        Today(2018, 5, 1);
        await PostAsync("/api/admin/lapse-sweep", null, Keys.Admin, 200);

        Today(2020, 2, 20);
        var family = await Host.EnrolAsync(enrolledOn: "2020-01-10");
        await Host.PayAsync(family, "2020-02-10", 55.92m, "F-1");
        await PostAsync(
            $"/api/insured/{family}/beneficiaries",
            new { fullName = "Rosa Pérez", birthDate = "1987-01-20", relationship = "Spouse" },
            Keys.Enrolment,
            201
        );

        Today(2024, 3, 10);
        var returning = await Host.EnrolAsync(enrolledOn: "2023-12-20", firstPeriod: "2024-01");
        await Host.PayAsync(returning, "2024-01-05", 12 * 68.04m, "R-1");   // 2024-01 .. 2024-12; three paid back
        await PostAsync($"/api/insured/{returning}/return", new { returnedOn = "2024-03-10" }, Keys.Enrolment, 200);

        Today(2026, 2, 10);
        var recent = await Host.EnrolAsync(enrolledOn: "2026-01-10");
        await Host.PayAsync(recent, "2026-02-10", 68.04m, "N-1");
        await Fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(30));
    }

    private async Task PostAsync(string url, object? body, string key, int status) =>
        await Host.Scenario(s =>
        {
            if (body is null)
                s.Post.Url(url);
            else
                s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(status);
        });

    private sealed record Rows(List<string> Accounts, List<string> Files, List<string> Reserve, long ReserveMark);

    /// <summary>Every column either rebuild writes (the JSON as PostgreSQL stores it), in key order.</summary>
    private async Task<Rows> ReadModelRowsAsync() =>
        new(
            await LinesAsync(
                "select concat_ws('|', id, data::text, mt_version, mt_dotnet_type, episode_open) from salex.mt_doc_account order by id"
            ),
            await LinesAsync(
                "select concat_ws('|', id, data::text, mt_version, mt_dotnet_type) from salex.mt_doc_bankfilereconciliation order by id"
            ),
            await LinesAsync(
                "select concat_ws('|', year, affiliation_number, base_contributions) from salex.reserve_contributions "
                    + "order by year, affiliation_number"
            ),
            await ScalarAsync(
                $"select last_seq_id from salex.mt_event_progression where name = '{ReserveYearProjection.ShardName}'"
            )
        );

    /// <summary>The base contributions of an account's paid periods, from its document.</summary>
    private async Task<decimal> BaseOfAsync(string number)
    {
        await using var session = Fixture.Store.QuerySession();
        var account = await session.LoadAsync<Account>(number);
        return account!.Paid.Sum(p => p.Base);
    }

    private async Task<decimal> ReserveAsync(int year)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select coalesce(sum(base_contributions), 0) from salex.reserve_contributions where year = @year",
            connection
        );
        command.Parameters.AddWithValue("year", year);
        return (decimal)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> LinesAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return lines;
    }

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
