using System.Globalization;
using System.Text;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.BankFiles;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public sealed class BankFileApiTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private const string Header = BankFiles.Header;

    private static string Csv(params string[] lines) => BankFiles.Csv(lines);

    private Task<IScenarioResult> PostFileAsync(byte[] body, int expectedStatus = 200, string key = Keys.Finance) =>
        Host.PostBankFileAsync(body, expectedStatus, key);

    private Task<BankFileSummary> ImportAsync(string csv) => Host.ImportCsvAsync(csv);

    private Task<BankFileReport> ReportAsync(string fileId) =>
        Host.GetJsonAsync<BankFileReport>($"/api/bank-files/{fileId}", Keys.Auditor);

    private static void ShouldBalance(BankFileSummary s)
    {
        s.Balanced.ShouldBeTrue();
        (s.Contributions + s.Surcharges + s.Credits + s.Suspense + s.RefundsDue).ShouldBe(s.Received);
    }

    [Fact]
    public async Task a_payment_five_days_late_is_applied_with_its_surcharge()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // SPEC §6: 2018-02 is due 2018-02-28; paid 2018-03-05, 5 days late: 55.92 + 2.80 = 58.72.
        var summary = await ImportAsync(Csv($"AGRICOLA,000912345,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));

        summary.Lines.ShouldBe(1);
        summary.Outcomes["Applied"].ShouldBe(1);
        summary.Received.ShouldBe(58.72m);
        summary.Contributions.ShouldBe(55.92m);
        summary.Surcharges.ShouldBe(2.80m);
        summary.Credits.ShouldBe(0m);
        ShouldBalance(summary);
        summary.FileId.ShouldStartWith("BF-");
        summary.FileId.Length.ShouldBe(19);

        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
        var line = (await ReportAsync(summary.FileId)).Lines.ShouldHaveSingleItem();
        (line.Line, line.Outcome, line.PaidOn, line.Contributions, line.Surcharges).ShouldBe((2, "Applied", "2018-03-05", 55.92m, 2.80m));
    }

    [Fact]
    public async Task the_spec_example_line_is_kept_as_credit_when_it_does_not_make_a_whole_period()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2024-01-10");
        // 2024-02 costs 68.04 and is due Thursday 2024-02-29; on 2024-03-05 it is 5 days late: 68.04 + 3.40 = 71.44.
        // 58.72 does not make it, so it all stays on the account as credit.
        var summary = await ImportAsync(Csv($"AGRICOLA,000912345,2024-03-05T10:15:00-06:00,{number},58.72,ONLINE"));

        summary.Outcomes["AppliedWithCredit"].ShouldBe(1);
        (summary.Contributions, summary.Surcharges, summary.Credits).ShouldBe((0m, 0m, 58.72m));
        ShouldBalance(summary);
        (await Host.SummaryAsync(number)).Credit.ShouldBe(58.72m);
    }

    [Fact]
    public async Task paid_at_half_past_one_utc_on_1_march_is_29_february_in_el_salvador()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2024-01-10");
        // 2024-03-01T01:30Z is 2024-02-29 19:30 in El Salvador, the due date of 2024-02: on time, 68.04 pays it
        // exactly. Read as 1 March it would be a day late (68.04 + 3.40) and the money would stay as credit.
        var summary = await ImportAsync(Csv($"AGRICOLA,T-1,2024-03-01T01:30:00Z,{number},68.04,BRANCH"));

        summary.Outcomes["Applied"].ShouldBe(1);
        (summary.Contributions, summary.Surcharges).ShouldBe((68.04m, 0m));
        (await ReportAsync(summary.FileId)).Lines.Single().PaidOn.ShouldBe("2024-02-29");
    }

    [Fact]
    public async Task every_outcome_of_a_line_and_the_invariant_to_the_cent()
    {
        var paid = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var advance = await Host.EnrolAsync(enrolledOn: "2024-01-10");
        var csv = Csv(
            $"AGRICOLA,A-1,2018-03-05T10:15:00-06:00,{paid},58.72,ONLINE",      // 2: applied 55.92 + 2.80
            $"AGRICOLA,A-2,2018-03-06T10:00:00-06:00,{paid},60.00,ONLINE",      // 3: 2018-03 due 03-28, on time: 55.92 + credit 4.08
            $"AGRICOLA,A-1,2018-03-05T10:15:00-06:00,{paid},58.72,ONLINE",      // 4: duplicate of line 2
            "CUSCATLAN,C-1,2018-03-07T09:00:00-06:00,999999999,25.00,BRANCH",   // 5: unknown payer, 25.00 in suspense
            $"AGRICOLA,A-3,2018-01-05T10:00:00-06:00,{paid},55.92,ONLINE",      // 6: before the enrolment: refused, refund 55.92
            // 7: paid 2024-02-01 (on time), last payable 2025-02: 13 periods × 68.04 = 884.52, refund 962.56 − 884.52 = 78.04
            $"AGRICOLA,A-4,2024-02-01T12:00:00-06:00,{advance},962.56,ONLINE",
            $"AGRICOLA,A-5,2018-03-05T10:15:00-06:00,{paid},58.725,ONLINE");    // 8: malformed
        var summary = await ImportAsync(csv);

        summary.Lines.ShouldBe(7);
        summary.Outcomes.ShouldBe(new Dictionary<string, int>
        {
            ["Applied"] = 1, ["AppliedWithCredit"] = 1, ["Duplicate"] = 1, ["UnknownPayer"] = 1,
            ["Refused"] = 1, ["PartlyBeyondAdvanceLimit"] = 1, ["Malformed"] = 1, ["Conflict"] = 0,
                ["UnknownBank"] = 0, ["HeldForReview"] = 0,
        });
        // Received: 58.72 + 60.00 + 25.00 + 55.92 + 962.56 = 1162.20 (the duplicate and the malformed line bring nothing).
        summary.Received.ShouldBe(1162.20m);
        summary.Contributions.ShouldBe(55.92m + 55.92m + 884.52m); // 996.36
        summary.Surcharges.ShouldBe(2.80m);
        summary.Credits.ShouldBe(4.08m);
        summary.Suspense.ShouldBe(25.00m);
        summary.RefundsDue.ShouldBe(55.92m + 78.04m);              // 133.96
        summary.DuplicateAmount.ShouldBe(58.72m);
        ShouldBalance(summary);                                    // 996.36 + 2.80 + 4.08 + 25.00 + 133.96 = 1162.20

        var report = await ReportAsync(summary.FileId);
        report.Lines.Select(l => (l.Line, l.Outcome)).ShouldBe([
            (2, "Applied"), (3, "AppliedWithCredit"), (4, "Duplicate"), (5, "UnknownPayer"),
            (6, "Refused"), (7, "PartlyBeyondAdvanceLimit"), (8, "Malformed")]);
        report.Lines.Single(l => l.Line == 8).Reason.ShouldNotBeNull().ShouldContain("more than two decimals");
        report.Lines.Single(l => l.Line == 7).Refund.ShouldBe(78.04m);

        (await Host.SummaryAsync(paid)).Credit.ShouldBe(4.08m);
        var limited = await Host.SummaryAsync(advance);
        limited.PaidThrough.ShouldBe("2025-02");
        limited.Credit.ShouldBe(0m);

        await using var session = Fixture.Store.QuerySession();
        var item = (await session.Query<SuspenseItem>().ToListAsync()).ShouldHaveSingleItem();
        (item.FileId, item.Line, item.BankCode, item.TransactionId, item.AffiliationNumber, item.Amount, item.Status)
            .ShouldBe((summary.FileId, 5, "CUSCATLAN", "C-1", "999999999", 25.00m, SuspenseStatus.Open));
        item.PaidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture).ShouldBe("2018-03-07");
    }

    [Fact]
    public async Task malformed_lines_are_reported_with_their_reason_and_the_others_go_on()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var summary = await ImportAsync(Csv(
            $"AGRICOLA,M-1,2018-03-05T10:15:00-06:00,{number},58,72,ONLINE",    // 2: the comma makes seven fields
            $"AGRICOLA,M-2,2018-03-05T10:15:00-06:00,{number},58.725,ONLINE",   // 3: three decimals
            $"AGRICOLA,M-3,2018-03-05T10:15:00-06:00,{number},0.00,ONLINE",     // 4: not positive
            $"AGRICOLA,M-4,2018-02-30T10:15:00-06:00,{number},58.72,ONLINE",    // 5: no such date
            $"AGRICOLA,,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",       // 6: missing transaction id
            $"AGRICOLA,M-6,2018-03-05T10:15:00-06:00,{number},58.72,ATM",       // 7: unknown channel
            $"AGRICOLA,M-7,2026-12-01T10:15:00-06:00,{number},58.72,ONLINE",    // 8: after today (2026-11-23)
            $"AGRICOLA,M-8,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));  // 9: applied
        summary.Outcomes["Malformed"].ShouldBe(7);
        summary.Outcomes["Applied"].ShouldBe(1);
        summary.Received.ShouldBe(58.72m);
        ShouldBalance(summary);

        var reasons = (await ReportAsync(summary.FileId)).Lines.Where(l => l.Outcome == "Malformed").ToDictionary(l => l.Line, l => l.Reason!);
        reasons[2].ShouldContain("found 7");
        reasons[3].ShouldContain("more than two decimals");
        reasons[4].ShouldContain("not positive");
        reasons[5].ShouldContain("paidAt");
        reasons[6].ShouldContain("transactionId is missing");
        reasons[7].ShouldContain("channel");
        reasons[8].ShouldContain("future");
    }

    [Fact]
    public async Task a_file_imported_twice_changes_nothing_the_second_time()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var csv = Csv($"AGRICOLA,R-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",
                      "AGRICOLA,R-2,2018-03-07T09:00:00-06:00,999999999,25.00,BRANCH");
        var first = await ImportAsync(csv);
        var events = await Host.EventCountAsync();

        var second = await ImportAsync(csv);

        (await Host.EventCountAsync()).ShouldBe(events);
        second.AlreadyRecorded.ShouldBe(2);
        (second with { AlreadyRecorded = 0, Outcomes = first.Outcomes, Unread = first.Unread,
            Statements = first.Statements }).ShouldBe(first);
        second.Outcomes.ShouldBe(first.Outcomes);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
        await using var session = Fixture.Store.QuerySession();
        (await session.Query<SuspenseItem>().CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task the_same_transaction_in_a_second_file_is_a_duplicate()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await ImportAsync(Csv($"AGRICOLA,S-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));

        var second = await ImportAsync(Csv(
            $"agricola,S-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE",    // the same key, bank code in other case
            $"AGRICOLA,S-2,2018-03-20T10:00:00-06:00,{number},55.92,ONLINE"));  // 2018-03 due 03-28: on time

        second.Outcomes["Duplicate"].ShouldBe(1);
        second.Outcomes["Applied"].ShouldBe(1);
        (second.Received, second.Contributions, second.DuplicateAmount).ShouldBe((55.92m, 55.92m, 58.72m));
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-03");
    }

    [Fact]
    public async Task a_payment_recorded_through_the_api_is_a_duplicate_in_a_file()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345");

        var summary = await ImportAsync(Csv($"AGRICOLA,000912345,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));

        summary.Outcomes["Duplicate"].ShouldBe(1);
        summary.Received.ShouldBe(0m);
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
    }

    [Fact]
    public async Task a_payment_from_a_file_sent_again_through_the_api_answers_the_first_result()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await ImportAsync(Csv($"AGRICOLA,000912345,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"));
        var events = await Host.EventCountAsync();

        var again = await Host.PayAsync(number, "2018-03-05", 58.72m, "000912345", expectedStatus: 200);

        again.Allocations.ShouldHaveSingleItem().Period.ShouldBe("2018-02");
        (await Host.EventCountAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task windows_line_endings_and_a_byte_order_mark_are_read()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var text = $"{Header}\r\nAGRICOLA,W-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE\r\n";
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var summary = (await (await PostFileAsync(body)).ReadAsJsonAsync<BankFileSummary>())!;

        summary.Outcomes["Applied"].ShouldBe(1);
        summary.Outcomes["Malformed"].ShouldBe(0);
        summary.Received.ShouldBe(58.72m);
    }

    [Fact]
    public async Task an_empty_body_is_refused_and_a_header_only_file_has_no_lines()
    {
        var problem = await (await PostFileAsync([], 400)).ProblemAsync();
        problem.Errors!.ShouldContainKey("body");
        (await Host.EventCountAsync()).ShouldBe(0);

        var summary = await ImportAsync(Header + "\n");
        summary.Lines.ShouldBe(0);
        summary.Status.ShouldBe("Completed");
        summary.Received.ShouldBe(0m);
        summary.Balanced.ShouldBeTrue();
    }

    [Fact]
    public async Task a_file_without_the_header_is_refused_whole()
    {
        var problem = await (await PostFileAsync(Encoding.UTF8.GetBytes("AGRICOLA,X,2018-03-05T10:15:00-06:00,100000017,58.72,ONLINE\n"), 400)).ProblemAsync();
        problem.Detail.ShouldNotBeNull().ShouldContain("header");
        (await Host.EventCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task only_finance_and_admin_import_and_auditors_read()
    {
        await PostFileAsync(Encoding.UTF8.GetBytes(Header + "\n"), 403, Keys.Auditor);
        var summary = (await (await PostFileAsync(Encoding.UTF8.GetBytes(Header + "\n"), 200, Keys.Admin)).ReadAsJsonAsync<BankFileSummary>())!;
        await Host.Scenario(s =>
        {
            s.Get.Url($"/api/bank-files/{summary.FileId}");
            s.WithRequestHeader("X-Api-Key", Keys.RightsReader);
            s.StatusCodeShouldBe(403);
        });
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/bank-files/BF-0000000000000000");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task a_generated_file_of_10000_lines_over_200_accounts_balances_to_the_cent_in_every_report()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 200; i++) accounts.Add(await Host.EnrolAsync(enrolledOn: "2018-01-10"));

        // Deterministic amounts from 10.01 to 199.99 over 100 days; every 97th line an unknown payer, every
        // 250th line repeats the transaction of the line before it (a duplicate that brings no money), every
        // 1,000th line has a comma in its amount (malformed).
        var lines = new List<string>();
        var expectedReceived = 0m;
        for (var i = 0; i < 10_000; i++)
        {
            var duplicate = i % 250 == 249;
            // A duplicate is the same transaction: same reference, amount and day (another amount would be a conflict).
            var amount = 10m + ((duplicate ? i - 1 : i) * 7919 % 19000 + 1) / 100m;
            var paidOn = new DateTime(2018, 2, 1).AddDays(i / 100);
            var payer = i % 97 == 96 ? "999999999" : accounts[i % 200];
            var malformed = i % 1000 == 500;
            var transaction = duplicate ? $"G-{i - 1}" : $"G-{i}";
            var amountText = amount.ToString("0.00", CultureInfo.InvariantCulture);
            lines.Add($"AGRICOLA,{transaction},{paidOn:yyyy-MM-dd}T10:00:00-06:00,{payer},{(malformed ? amountText.Replace('.', ',') : amountText)},ONLINE");
            if (!duplicate && !malformed) expectedReceived += amount;
        }

        var summary = await ImportAsync(Csv([.. lines]));

        summary.Lines.ShouldBe(10_000);
        summary.Outcomes["Duplicate"].ShouldBe(40);
        summary.Outcomes["Malformed"].ShouldBe(10);
        summary.Outcomes.Values.Sum().ShouldBe(10_000);
        summary.Received.ShouldBe(expectedReceived);
        ShouldBalance(summary);

        // The line report, a page at a time: 10,000 lines in pages of 4,000.
        var third = await Host.GetJsonAsync<BankFileReport>($"/api/bank-files/{summary.FileId}?page=3&pageSize=4000", Keys.Auditor);
        (third.TotalLines, third.Lines.Count, third.Lines[0].Line, third.Lines[^1].Line).ShouldBe((10_000, 2000, 8002, 10_001));

        // The same lines as CSV: every line once, and the money of the lines that brought some adds up.
        var csv = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/bank-files/{summary.FileId}");
            s.WithRequestHeader("X-Api-Key", Keys.Auditor);
            s.WithRequestHeader("Accept", "text/csv");
            s.StatusCodeShouldBe(200);
        });
        var rows = csv.ReadAsText().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldStartWith("line,outcome,bankCode,transactionId");
        rows.Length.ShouldBe(1 + 10_000);
        rows.Skip(1).Select(r => int.Parse(r.Split(',')[0], CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(2, 10_000));

        // Per bank per day, the same money: each of the 100 days balances, and together they are the file.
        var reconciliation = await Host.GetJsonAsync<BankReconciliation>("/api/reconciliation?bank=AGRICOLA&from=2018-02-01&to=2018-05-31", Keys.Finance);
        reconciliation.Days.Count.ShouldBe(100);
        reconciliation.Days.ShouldAllBe(d => d.Balanced);
        (reconciliation.Totals.Received, reconciliation.Totals.Contributions, reconciliation.Totals.Suspense)
            .ShouldBe((summary.Received, summary.Contributions, summary.Suspense));
    }

    [Fact]
    public async Task suspense_assigned_to_an_account_is_applied_on_its_original_date()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var file = await ImportAsync(Csv("AGRICOLA,U-1,2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE"));
        file.Outcomes["UnknownPayer"].ShouldBe(1);
        var id = $"{file.FileId}-2";

        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { affiliationNumber = number }).ToUrl($"/api/suspense/{id}/assign");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(200);
        });
        var assignment = (await result.ReadAsJsonAsync<SuspenseAssignment>())!;

        // Decided on 2018-03-05, the bank's date, not today: 5 days late, 55.92 + 2.80.
        (assignment.Outcome, assignment.Contributions, assignment.Surcharges).ShouldBe(("Applied", 55.92m, 2.80m));
        (await Host.SummaryAsync(number)).PaidThrough.ShouldBe("2018-02");
        await using (var session = Fixture.Store.QuerySession())
        {
            var item = await session.LoadAsync<SuspenseItem>(id);
            (item!.Status, item.AssignedTo).ShouldBe((SuspenseStatus.Assigned, number));
            (await session.LoadAsync<BankFileReconciliation>(file.FileId))!.SuspenseAssigned.ShouldBe(58.72m);
        }

        await Host.Scenario(s =>
        {
            s.Post.Json(new { affiliationNumber = number }).ToUrl($"/api/suspense/{id}/assign");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(409);
        });
        // The transaction stays recorded once: in another file it is a duplicate.
        (await ImportAsync(Csv($"AGRICOLA,U-1,2018-03-05T10:15:00-06:00,{number},58.72,ONLINE"))).Outcomes["Duplicate"].ShouldBe(1);
    }

    [Fact]
    public async Task an_import_stopped_after_its_first_batch_is_completed_by_importing_the_file_again()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // 1,200 payments of 1.00 by one account: three batches of 500, 500 and 200 lines.
        var csv = Csv([.. Enumerable.Range(1, 1200).Select(i => $"AGRICOLA,K-{i},2018-02-01T10:00:00-06:00,{number},1.00,ONLINE")]);
        using var scope = Host.Services.CreateScope();
        var importer = new BankFileImporter(scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>(),
            Infrastructure.Recording.Of(new Infrastructure.Stamps("test", "finance", "killed-import")),
            Host.Services.GetRequiredService<Features.Banks.PartnerBankRegistry>().Banks, Fixture.Clock);
        // The import dies right after the first batch's commit, before the second batch is sent.
        await Should.ThrowAsync<IOException>(() => importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            CancellationToken.None, new DiesAfterFirstBatch()));

        var summary = await ImportAsync(csv);

        summary.AlreadyRecorded.ShouldBe(BankFileImporter.BatchSize);
        (summary.Lines, summary.Status, summary.Received).ShouldBe((1200, "Completed", 1200.00m));
        summary.Outcomes["Duplicate"].ShouldBe(0);
        ShouldBalance(summary);
        await using var session = Fixture.Store.QuerySession();
        (await session.Events.FetchStreamAsync(summary.FileId)).Count.ShouldBe(1 + 1200 + 1);
        // Every cent is on the account once: periods paid, credit kept and refunds due add up to the 1,200.00 paid.
        var account = (await session.LoadAsync<Salex.Ledger.Accounts.Account>(number))!;
        (account.Paid.Sum(p => p.Base + p.Surcharge) + account.Credit + account.RefundsTotal).ShouldBe(1200.00m);
    }

    /// <summary>Every paged read refuses a page or page size past its range with 400 naming the field (never
    /// clamps it), a value that is not a number included.</summary>
    [Fact]
    public async Task a_page_or_page_size_past_the_range_is_a_400_naming_it()
    {
        var file = await ImportAsync(Csv("AGRICOLA,P-1,2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE"));
        (await Host.GetJsonAsync<BankFileReport>($"/api/bank-files/{file.FileId}?pageSize=10000", Keys.Auditor)).PageSize.ShouldBe(10_000);
        foreach (var (query, field) in new[] { ("pageSize=0", "pageSize"), ("pageSize=-1", "pageSize"), ("pageSize=10001", "pageSize"),
                     ("pageSize=abc", "pageSize"), ("page=0", "page"), ("page=1000001", "page"), ("page=abc", "page") })
        {
            var result = await Host.Scenario(s =>
            {
                s.Get.Url($"/api/bank-files/{file.FileId}?{query}");
                s.WithRequestHeader("X-Api-Key", Keys.Auditor);
                s.StatusCodeShouldBe(400);
            });
            var problem = await result.ProblemAsync();
            string.Join(",", problem.Errors!.Keys).ShouldBe(field, query);
            if (query == "pageSize=10001")
                problem.Errors[field].Single().ShouldStartWith("A page has 1 to 10,000 lines");
        }
    }
}

/// <summary>Progress that kills the import when the first batch is reported committed.</summary>
internal sealed class DiesAfterFirstBatch : IProgress<BankFileImporter.Progress>
{
    public void Report(BankFileImporter.Progress value) => throw new IOException("killed");
}
