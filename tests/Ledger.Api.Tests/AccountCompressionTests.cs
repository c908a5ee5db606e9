using Marten;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Projections.Accounts;
using Shouldly;
using Weasel.Core;

namespace Salex.Ledger.Api.Tests;

/// <summary>The accounts' JSON is compressed with LZ4 where the server has it (<see cref="AccountCompression"/>).</summary>
public sealed class AccountCompressionTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static readonly string Schema = Salex.Projections.LedgerStore.Schema;

    private async Task<string> ScalarAsync(string sql)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.AdvancedSql.QueryAsync<string>(sql, CancellationToken.None)).Single();
    }

    private Task<bool> ServerHasLz4Async() =>
        ScalarAsync(
                "select ('lz4' = any(enumvals))::text from pg_settings where name = 'default_toast_compression'"
            )
            .ContinueWith(t => t.Result == "true");

    [Fact]
    public async Task a_long_account_is_stored_compressed_with_lz4_and_reads_back_the_same()
    {
        // Ten years of monthly payments: about 20 KB of JSON, well past the size PostgreSQL compresses from.
        var paid = Enumerable
            .Range(0, 120)
            .Select(i => new PaidPeriod(1, new YearMonth(2016, 1).PlusMonths(i), new LocalDate(2016, 1, 20).PlusMonths(i),
                68.04m, 0m, "AGRICOLA", $"REF-{i:D6}"))
            .ToList();
        var account = new Account
        {
            Id = "100000017", Dui = "04567890-3", FullName = "Ana María López", BirthDate = new LocalDate(1985, 6, 2),
            CountryOfResidence = "US", Episodes = [new Episode(1, new LocalDate(2016, 1, 10), new YearMonth(2016, 1))],
            Paid = paid, EpisodeOpen = true,
        };
        await using (var session = Fixture.Store.LightweightSession())
        {
            session.Store(account);
            await session.SaveChangesAsync();
        }

        var compression = await ScalarAsync(
            $"select coalesce(pg_column_compression(data), 'none') from {Schema}.mt_doc_account where id = '100000017'");
        compression.ShouldBe(await ServerHasLz4Async() ? "lz4" : "pglz");
        await using var reading = Fixture.Store.QuerySession();
        var read = await reading.LoadAsync<Account>("100000017");
        read!.Paid.ShouldBe(paid);
    }

    [Fact]
    public async Task the_schema_once_applied_has_nothing_left_to_change_for_the_compression()
    {
        (await ScalarAsync(
                $"select attcompression::text from pg_attribute where attrelid = '{Schema}.mt_doc_account'::regclass and attname = 'data'"))
            .ShouldBe(await ServerHasLz4Async() ? "l" : "");

        var migration = await Fixture.Store.Storage.Database.CreateMigrationAsync(new AccountCompression((StoreOptions)Fixture.Store.Options, Schema));
        migration.Difference.ShouldBe(SchemaPatchDifference.None);
    }
}
