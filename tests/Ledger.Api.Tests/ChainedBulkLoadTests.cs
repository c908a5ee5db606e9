using JasperFx.Events;
using Marten;
using NodaTime;
using Salex.Projections.Integrity;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The migration path for a history: bulk-loaded with the trigger off, chained afterwards, intact.</summary>
public sealed class ChainedBulkLoadTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private static readonly string Schema = Salex.Projections.LedgerStore.Schema;

    private StreamAction History(string number) => StreamAction.Start(
        (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events, number,
        [
            new Enrolled(number, $"0{number[1..]}-3", "Ana María López", new LocalDate(1985, 6, 2), "US", null,
                new LocalDate(2018, 1, 10), new YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)),
            new CreditRecorded(new PaymentSource(new LocalDate(2018, 2, 1), "AGRICOLA", $"B-{number}", "ONLINE"), 4.08m),
        ]);

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
            CancellationToken.None);

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
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [History("900000037")], CancellationToken.None);
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");   // appended through the service: hashed at once

        var hashes = await HashesAsync();
        hashes.Keys.ShouldContain((number, 1L));
        (await VerifyAllAsync()).ShouldAllBe(s => s.Intact);
    }
}
