using System.Text.Json;
using Alba;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Enrolment;
using Salex.Projections;
using Salex.Projections.Accounts;
using Salex.Projections.Integrity;
using Salex.Projections.Payments;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A history loaded with <see cref="ChainedBulkLoad"/> is a ledger like one recorded by the service: every bank
/// transaction has the receipt the live path would have written, every person the DUI registration, and the affiliation
/// numbers go on after the loaded ones.
/// </summary>
public sealed class HistoryLoadTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Regime Regime => Host.Services.GetRequiredService<Regime>();

    /// <summary>
    /// An account recorded through the service: a payment leaving credit, a late one spending it, one paying ahead, a
    /// bank file's line, and a line paying past the advance limit (part of it owed back).
    /// </summary>
    private async Task<string> RecordedAccountAsync()
    {
        Today(2018, 8, 10);
        var number = await Host.EnrolAsync();
        await Host.PayAsync(number, "2018-02-10", 60.00m, "H-1");
        await Host.PayAsync(number, "2018-03-25", 52.00m, "H-2");
        await Host.PayAsync(number, "2018-04-05", 200.00m, "H-3");
        var file = await Host.ImportCsvAsync(BankFiles.Csv(
            $"CUSCATLAN,000912345,2018-08-05T10:15:00-06:00,{number},58.72,BRANCH",
            $"CUSCATLAN,000912346,2018-08-06T10:15:00-06:00,{number},1398.00,ONLINE"));
        file.Outcomes.GetValueOrDefault(nameof(LineOutcome.PartlyBeyondAdvanceLimit)).ShouldBe(1);
        file.Balanced.ShouldBeTrue();
        return number;
    }

    private async Task<Dictionary<string, PaymentReceipt>> ReceiptsAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.Query<PaymentReceipt>().ToListAsync()).ToDictionary(r => r.Id);
    }

    /// <summary>The account's stream as the service recorded it, then the ledger emptied and the stream loaded back as a
    /// history from another system would be.</summary>
    private async Task ReloadAsHistoryAsync(string number)
    {
        IReadOnlyList<IEvent> events;
        await using (var session = Fixture.Store.QuerySession())
            events = await session.Events.FetchStreamAsync(number);
        await Fixture.ResetAsync();
        Today(2018, 8, 10);
        var graph = (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events;
        var stream = StreamAction.Start(graph, number, events.Select(e => e.Data).ToArray());
        stream.AggregateType = typeof(Account);
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [stream], Regime, CancellationToken.None);
        using var daemon = await Fixture.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<Account>(TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    private async Task<long> VersionAsync(string number)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(number))!.Version;
    }

    private async Task<IReadOnlyList<string>> RowsAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        return await session.AdvancedSql.QueryAsync<string>(
            $"""
            select concat_ws('|', id, mt_dotnet_type, bank, day,
                   case when data->'trail'->>'refund' <> '0' then data - 'origin' - 'fingerprint' else data - 'origin' end)
            from {LedgerStore.Schema}.mt_doc_paymentreceipt
            union all
            select concat_ws('|', id, mt_dotnet_type, data) from {LedgerStore.Schema}.mt_doc_duiregistration
            order by 1
            """, CancellationToken.None);
    }

    private static string Json(PaymentReceipt r) => JsonSerializer.Serialize(r with { Origin = "" });

    [Fact]
    public async Task a_loaded_history_gets_the_receipts_its_money_got_when_it_was_recorded()
    {
        var number = await RecordedAccountAsync();
        var live = await ReceiptsAsync();
        live.Count.ShouldBe(5);
        var liveRows = await RowsAsync();

        await ReloadAsHistoryAsync(number);
        var loaded = await ReceiptsAsync();

        // Stored as Marten stores them: the same columns (the documents' JSON but for where it came from and the
        // fingerprint of money owed back, the .NET type, the duplicated bank and day).
        (await RowsAsync()).ShouldBe(liveRows);

        loaded.Keys.Order().ShouldBe(live.Keys.Order());
        loaded.Values.ShouldAllBe(r => r.Origin == HistoryReceipts.Origin);
        foreach (var key in live.Keys.Where(k => k != "CUSCATLAN/000912346"))
            Json(loaded[key]).ShouldBe(Json(live[key]), key);
        // Money owed back has a fingerprint of its own on both paths (the same payment sent to the API is a conflict);
        // the rest of its receipt is the same.
        var owedBack = "CUSCATLAN/000912346";
        loaded[owedBack].Trail.Refund.ShouldBeGreaterThan(0m);
        Json(loaded[owedBack] with { Fingerprint = "" }).ShouldBe(Json(live[owedBack] with { Fingerprint = "" }));
        loaded[owedBack].Fingerprint.ShouldNotBe(PaymentReceipt.FingerprintOf(number,
            new Contributions.RecordPayment(new NodaTime.LocalDate(2018, 8, 6), 1398.00m, "CUSCATLAN", "000912346", Contributions.Channel.Online)));
    }

    [Fact]
    public async Task a_historical_transaction_sent_again_is_answered_from_its_receipt_and_recorded_once()
    {
        var number = await RecordedAccountAsync();
        var first = (await ReceiptsAsync())["AGRICOLA/H-1"].Response;
        await ReloadAsHistoryAsync(number);
        var version = await VersionAsync(number);
        var credit = (await Host.SummaryAsync(number)).Credit;

        // The same payment through the API: its first answer, 200, nothing recorded.
        var again = await Host.PayAsync(number, "2018-02-10", 60.00m, "H-1", expectedStatus: 200);
        (again.Amount, again.CreditApplied, again.Credit, again.CreditBalance, again.RefundDue, again.PaidThrough)
            .ShouldBe((first.Amount, first.CreditApplied, first.Credit, first.CreditBalance, first.RefundDue, first.PaidThrough));
        again.Allocations.Select(a => (a.Period, a.Kind, a.Total)).ShouldBe(first.Allocations.Select(a => (a.Period, a.Kind, a.Total)));
        (first.Amount, first.Credit, first.PaidThrough).ShouldBe((60.00m, 4.08m, "2018-02"));
        // Another payment under a historical reference: a conflict.
        await Host.PayAsync(number, "2018-02-10", 61.00m, "H-1", expectedStatus: 409);
        // Money owed back is not a payment to replay.
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody("2018-08-06", 1398.00m, "000912346", bankCode: "CUSCATLAN"))
                .ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(409);
        });
        // A bank file carrying historical transactions again: duplicates, nothing applied.
        var file = await Host.ImportCsvAsync(BankFiles.Csv(
            $"CUSCATLAN,000912345,2018-08-05T10:15:00-06:00,{number},58.72,BRANCH",
            $"AGRICOLA,H-3,2018-04-05T10:15:00-06:00,{number},200.00,ONLINE"));
        file.Outcomes.Where(o => o.Value > 0).ShouldBe([new(nameof(LineOutcome.Duplicate), 2)]);

        (await Host.SummaryAsync(number)).Credit.ShouldBe(credit);
        (await VersionAsync(number)).ShouldBe(version);
        var money = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);
        money.Problems.ShouldBeEmpty();
        money.Transactions.ShouldBe(5);
    }

    [Fact]
    public async Task the_money_audit_finds_a_receipt_for_every_transaction_of_a_loaded_history()
    {
        var number = await RecordedAccountAsync();
        var before = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);
        await ReloadAsHistoryAsync(number);

        var after = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);

        after.Problems.ShouldBeEmpty();
        (after.Transactions, after.Received, after.OnAccounts).ShouldBe((before.Transactions, before.Received, before.OnAccounts));
    }

    [Fact]
    public async Task a_loaded_person_is_found_by_dui_and_new_enrolments_are_numbered_after_the_loaded_ones()
    {
        long current;
        await using (var session = Fixture.Store.QuerySession())
            current = await LedgerStore.NextAffiliationSequenceAsync(session, CancellationToken.None);
        var number = AffiliationNumber.FromSequence(current + 500);
        var dui = Scenarios.NewDui();
        var graph = (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events;
        var stream = StreamAction.Start(graph, number,
        [
            new Enrolled(number, dui, "Ana María López", new NodaTime.LocalDate(1985, 6, 2), "US", null,
                new NodaTime.LocalDate(2018, 1, 10), new NodaTime.YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)),
        ]);
        stream.AggregateType = typeof(Account);
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [stream], Regime, CancellationToken.None);
        using (var daemon = await Fixture.Store.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync<Account>(TimeSpan.FromSeconds(30), CancellationToken.None);

        // The same DUI enrolling again finds the loaded account, whose episode is open.
        var again = await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.EnrolmentBody(dui: dui)).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(409);
        });
        (await again.ReadAsTextAsync()).ShouldContain(number);
        // Someone new is numbered after the loaded number, never on it.
        var next = await Host.EnrolAsync();
        long.Parse(next[..^1]).ShouldBeGreaterThan(current + 500);
    }

    [Fact]
    public async Task a_transaction_on_two_accounts_of_a_history_is_refused_and_its_part_writes_nothing()
    {
        var graph = (Marten.Events.EventGraph)((StoreOptions)Fixture.Store.Options).Events;
        StreamAction Person(string number, string dui) => StreamAction.Start(graph, number,
        [
            new Enrolled(number, dui, "Ana María López", new NodaTime.LocalDate(1985, 6, 2), "US", null,
                new NodaTime.LocalDate(2018, 1, 10), new NodaTime.YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)),
            new CreditRecorded(new PaymentSource(new NodaTime.LocalDate(2018, 2, 1), "AGRICOLA", "SAME-1", "ONLINE"), 4.08m),
        ]);

        var refused = await Should.ThrowAsync<ArgumentException>(() => ChainedBulkLoad.LoadAsync(Fixture.Store,
            [Person("900000111", Scenarios.NewDui()), Person("900000129", Scenarios.NewDui())], Regime, CancellationToken.None));
        refused.Message.ShouldContain("AGRICOLA/SAME-1");
        (await Host.EventCountAsync()).ShouldBe(0);
        (await ReceiptsAsync()).ShouldBeEmpty();

        // A transaction the ledger already holds: the part is refused by the receipts' key, and rolled back whole.
        await ChainedBulkLoad.LoadAsync(Fixture.Store, [Person("900000111", Scenarios.NewDui())], Regime, CancellationToken.None);
        var again = await Should.ThrowAsync<InvalidOperationException>(() => ChainedBulkLoad.LoadAsync(Fixture.Store,
            [Person("900000129", Scenarios.NewDui())], Regime, CancellationToken.None));
        again.Message.ShouldContain("already recorded");
        (await Host.EventCountAsync()).ShouldBe(2);
        await using var session = Fixture.Store.QuerySession();
        (await session.Events.FetchStreamStateAsync("900000129")).ShouldBeNull();
        (await session.Query<DuiRegistration>().CountAsync()).ShouldBe(1);
    }
}
