using Marten;
using Marten.Services;
using NodaTime;
using Npgsql;
using Salex.Ledger.Accounts;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Every payment and every bank line writes its account again. No index of the accounts' table may read the account's
/// JSON, so that such a write can be a heap-only (HOT) update: no new entry in any index, and no JSON decompressed to
/// compute a key (docs/benchmarks.md, "The accounts' unused DUI index").
/// </summary>
public sealed class AccountTableTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static readonly string Table = $"{Salex.Projections.LedgerStore.Schema}.mt_doc_account";

    private static Account AccountOf(string id, int periodsPaid) =>
        new()
        {
            Id = id,
            Dui = "04567890-3",
            FullName = "Ana María López",
            BirthDate = new LocalDate(1985, 6, 2),
            CountryOfResidence = "US",
            Episodes = [new Episode(1, new LocalDate(2026, 1, 10), new YearMonth(2026, 1))],
            Paid =
            [
                .. Enumerable
                    .Range(0, periodsPaid)
                    .Select(i => new PaidPeriod(
                        1,
                        new YearMonth(2026, 1).PlusMonths(i),
                        new LocalDate(2026, 1, 20).PlusMonths(i),
                        68.04m,
                        0m,
                        "AGRICOLA",
                        $"REF-{i:D6}"
                    )),
            ],
            EpisodeOpen = true,
        };

    [Fact]
    public async Task no_index_of_the_accounts_table_reads_the_account_json()
    {
        await using var connection = new NpgsqlConnection(TestDatabases.Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select i.indexrelid::regclass::text from pg_index i
            where i.indrelid = $1::regclass
              and (i.indexprs is not null or i.indpred is not null
                   or exists (select 1 from pg_attribute a where a.attrelid = i.indrelid and a.attname = 'data'
                              and a.attnum = any(i.indkey::smallint[])))
            """,
            connection
        )
        {
            Parameters = { new NpgsqlParameter { Value = Table } },
        };
        var reading = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                reading.Add(reader.GetString(0));
        reading.ShouldBeEmpty();
    }

    [Fact]
    public async Task an_account_written_again_by_martens_upsert_is_a_heap_only_update()
    {
        await using var connection = new NpgsqlConnection(TestDatabases.Connection);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // One transaction, so that the statistics of this transaction alone (pg_stat_xact_user_tables) count the
        // update, and the row written first has room beside it on its page.
        await using (var session = Fixture.Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.Store(AccountOf("100000017", 1));
            await session.SaveChangesAsync();
            session.Store(AccountOf("100000017", 2) with { Version = 3 });
            await session.SaveChangesAsync();
        }
        await using var command = new NpgsqlCommand(
            "select n_tup_upd, n_tup_hot_upd from pg_stat_xact_user_tables where relid = $1::regclass",
            connection,
            transaction
        )
        {
            Parameters = { new NpgsqlParameter { Value = Table } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        (reader.GetInt64(0), reader.GetInt64(1)).ShouldBe((1L, 1L));
    }
}
