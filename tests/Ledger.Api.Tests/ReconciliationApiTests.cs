using Alba;
using Marten;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.BankFiles;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests;

public sealed class ReconciliationApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Task<BankReconciliation> ReconcileAsync(string query) =>
        Host.GetJsonAsync<BankReconciliation>($"/api/reconciliation?{query}", Keys.Finance);

    private async Task PayThroughApiAsync(string number, string bank, string reference, string paidOn, decimal amount) =>
        await Host.Scenario(s =>
        {
            s.Post.Json(Scenarios.PaymentBody(paidOn, amount, reference, bankCode: bank)).ToUrl($"/api/insured/{number}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(201);
        });

    [Fact]
    public async Task each_bank_day_counts_every_transaction_once_whichever_way_it_came()
    {
        var a = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var b = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // Through the API, Agrícola, 2018-03-05: 2018-02 five days late, 55.92 + 2.80.
        await PayThroughApiAsync(a, "AGRICOLA", "API-1", "2018-03-05", 58.72m);
        await Host.ImportCsvAsync(Csv(
            "AGRICOLA,API-1,2018-03-05T10:15:00-06:00," + a + ",58.72,ONLINE",   // the API's payment again: a duplicate
            "AGRICOLA,F-1,2018-03-05T23:30:00-06:00," + b + ",60.00,BRANCH",     // 2018-02 for b: 55.92 + 2.80 + credit 1.28
            "AGRICOLA,F-2,2018-03-06T00:30:00-06:00,999999999,25.00,BRANCH",     // next day in El Salvador: suspense
            "CUSCATLAN,C-1,2018-03-05T11:00:00-06:00," + a + ",55.92,ONLINE"));  // 2018-03 on time for a, other bank

        var all = await ReconcileAsync("from=2018-03-01&to=2018-03-31");

        all.Days.Select(d => (d.Bank, d.Day, d.Transactions)).ShouldBe([
            ("AGRICOLA", "2018-03-05", 2), ("CUSCATLAN", "2018-03-05", 1), ("AGRICOLA", "2018-03-06", 1)]);
        var agricola5 = all.Days[0];
        (agricola5.Received, agricola5.Contributions, agricola5.Surcharges, agricola5.Credits, agricola5.Suspense, agricola5.RefundsDue)
            .ShouldBe((118.72m, 111.84m, 5.60m, 1.28m, 0m, 0m));
        all.Days[2].Suspense.ShouldBe(25.00m);
        (all.Totals.Transactions, all.Totals.Received).ShouldBe((4, 58.72m + 60.00m + 25.00m + 55.92m));
        all.Days.ShouldAllBe(d => d.Balanced);
        all.Balanced.ShouldBeTrue();

        var cuscatlan = await ReconcileAsync("bank=cuscatlan&from=2018-03-01&to=2018-03-31");
        cuscatlan.Bank.ShouldBe("CUSCATLAN");
        cuscatlan.Days.ShouldHaveSingleItem().Contributions.ShouldBe(55.92m);

        (await ReconcileAsync("from=2018-04-01&to=2018-04-30")).Days.ShouldBeEmpty();

        var csv = await Host.Scenario(s =>
        {
            s.Get.Url("/api/reconciliation?from=2018-03-01&to=2018-03-31");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.WithRequestHeader("Accept", "text/csv");
            s.StatusCodeShouldBe(200);
        });
        csv.Context.Response.ContentType.ShouldBe("text/csv; charset=utf-8");
        csv.ReadAsText().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "bank,day,transactions,received,contributions,surcharges,credits,suspense,refundsDue,balanced",
            "AGRICOLA,2018-03-05,2,118.72,111.84,5.60,1.28,0.00,0.00,true",
            "CUSCATLAN,2018-03-05,1,55.92,55.92,0.00,0.00,0.00,0.00,true",
            "AGRICOLA,2018-03-06,1,25.00,0.00,0.00,0.00,25.00,0.00,true"]);
        // The totals are a file of their own, so a spreadsheet's sum of a column is the total, not twice it.
        var totals = await Host.Scenario(s =>
        {
            s.Get.Url("/api/reconciliation/totals?from=2018-03-01&to=2018-03-31");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.WithRequestHeader("Accept", "text/csv");
            s.StatusCodeShouldBe(200);
        });
        totals.ReadAsText().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "bank,day,transactions,received,contributions,surcharges,credits,suspense,refundsDue,balanced",
            "*,2018-03-01..2018-03-31,4,199.64,167.76,5.60,1.28,25.00,0.00,true"]);
    }

    [Fact]
    public async Task a_range_that_is_backwards_too_long_or_not_a_date_is_refused_naming_the_field()
    {
        async Task<ProblemBody> Refused(string query) => await (await Host.Scenario(s =>
        {
            s.Get.Url($"/api/reconciliation?{query}");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(400);
        })).ProblemAsync();

        (await Refused("from=2018-03-02&to=2018-03-01")).Errors.Keys.ShouldBe(["from"]);
        (await Refused("from=2018-01-01&to=2019-12-31")).Errors.Keys.ShouldBe(["to"]);
        (await Refused("from=2018-13-01&to=2018-03-01")).Errors.Keys.ShouldBe(["from"]);
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/reconciliation");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task suspense_refunded_moves_the_money_from_suspense_to_refunds_and_cannot_be_assigned_after()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var file = await Host.ImportCsvAsync(Csv(
            "AGRICOLA,U-1,2018-03-05T10:15:00-06:00,999999999,40.00,ONLINE",
            "AGRICOLA,U-2,2018-03-05T10:16:00-06:00,888888888,30.00,ONLINE"));
        var id = $"{file.FileId}-2";

        (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).Select(s => s.Id).ShouldBe([id, $"{file.FileId}-3"]);
        var missingReason = await Host.Scenario(s =>
        {
            s.Post.Json(new { reason = " " }).ToUrl($"/api/suspense/{id}/refund");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(400);
        });
        (await missingReason.ProblemAsync()).Errors.Keys.ShouldBe(["reason"]);

        var refunded = (await (await Host.Scenario(s =>
        {
            s.Post.Json(new { reason = "The payer is not insured; returned through the bank." }).ToUrl($"/api/suspense/{id}/refund");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(200);
        })).ReadAsJsonAsync<SuspenseView>())!;
        (refunded.Status, refunded.Amount).ShouldBe(("Refunded", 40.00m));

        foreach (var (action, body) in new[] { ("refund", (object)new { reason = "again" }), ("assign", new { affiliationNumber = number }) })
            await Host.Scenario(s =>
            {
                s.Post.Json(body).ToUrl($"/api/suspense/{id}/{action}");
                s.WithRequestHeader("X-Api-Key", Keys.Finance);
                s.StatusCodeShouldBe(409);
            });

        (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).Select(s => s.Id).ShouldBe([$"{file.FileId}-3"]);
        (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense?status=refunded", Keys.Finance)).ShouldHaveSingleItem().Id.ShouldBe(id);
        var day = (await ReconcileAsync("from=2018-03-05&to=2018-03-05")).Days.ShouldHaveSingleItem();
        (day.Received, day.Suspense, day.RefundsDue, day.Balanced).ShouldBe((70.00m, 30.00m, 40.00m, true));
        await using var session = Fixture.Store.QuerySession();
        var reconciliation = (await session.LoadAsync<BankFileReconciliation>(file.FileId))!;
        (reconciliation.Suspense, reconciliation.SuspenseRefunded).ShouldBe((70.00m, 40.00m));
        (await session.Events.FetchStreamAsync(file.FileId)).Last().Data.ShouldBeOfType<SuspenseRefunded>().Amount.ShouldBe(40.00m);
    }
}
