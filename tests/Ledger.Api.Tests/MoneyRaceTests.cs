using System.Net;
using System.Text;
using Alba;
using Salex.Ledger.Api.Features.Auditing;
using Shouldly;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Everything that moves money, at once on the same accounts: payments through the API (some sent twice), the
/// same bank file posted twice, another file paying the same accounts, and suspense settled while they run.
/// Afterwards every cent is in exactly one place and the read models match the events.
/// </summary>
public sealed class MoneyRaceTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Task<HttpStatusCode> SendAsync(Action<Scenario> request) => Task.Run(async () =>
    {
        var result = await Host.Scenario(s =>
        {
            request(s);
            s.IgnoreStatusCode();
        });
        return (HttpStatusCode)result.Context.Response.StatusCode;
    });

    private Task<HttpStatusCode> PostFileAsync(string csv) => SendAsync(s =>
    {
        s.Post.Url("/api/bank-files");
        var bytes = Encoding.UTF8.GetBytes(csv);
        s.ConfigureHttpContext(c =>
        {
            c.Request.ContentType = "text/csv";
            c.Request.Body = new MemoryStream(bytes);
            c.Request.ContentLength = bytes.Length;
        });
        s.WithRequestHeader("X-Api-Key", Keys.Finance);
    });

    [Fact]
    public async Task payments_imports_and_suspense_racing_on_the_same_accounts_lose_and_duplicate_no_cent()
    {
        // Dates and amounts such that, whatever the order, no account lapses or passes the advance limit: every
        // payment is accepted.
        var accounts = new List<string>();
        for (var i = 0; i < 3; i++) accounts.Add(await Host.EnrolAsync(enrolledOn: "2018-01-10"));
        var held = await Host.ImportCsvAsync(Csv([.. Enumerable.Range(1, 4)
            .Select(i => $"AGRICOLA,HELD-{i},2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE")]));
        var fileA = Csv([.. Enumerable.Range(1, 18).Select(i =>
            $"AGRICOLA,A-{i},2018-03-{1 + i % 28:00}T10:00:00-06:00,{accounts[i % 3]},{(i % 4 == 0 ? "60.00" : "55.92")},ONLINE")]);
        var fileB = Csv([.. Enumerable.Range(1, 12).Select(i =>
            $"CUSCATLAN,B-{i},2018-04-{1 + i % 28:00}T10:00:00-06:00,{(i % 5 == 0 ? "888888888" : accounts[i % 3])},70.00,BRANCH")]);

        var work = new List<Task<HttpStatusCode>>
        {
            PostFileAsync(fileA), PostFileAsync(fileA), PostFileAsync(fileB),
        };
        for (var i = 0; i < 12; i++)
        {
            var (account, reference) = (accounts[i % 3], $"API-{i % 8}");   // references 0-3 sent twice, same body
            work.Add(SendAsync(s =>
            {
                s.Post.Json(Scenarios.PaymentBody("2018-02-01", 30.00m, reference)).ToUrl($"/api/insured/{account}/payments");
                s.WithRequestHeader("X-Api-Key", Keys.Finance);
            }));
        }
        for (var i = 0; i < 4; i++)
        {
            var (item, account) = ($"{held.FileId}-{i + 2}", accounts[i % 3]);
            work.Add(SendAsync(s =>
            {
                s.Post.Json(new { affiliationNumber = account }).ToUrl($"/api/suspense/{item}/assign");
                s.WithRequestHeader("X-Api-Key", Keys.Finance);
            }));
            work.Add(SendAsync(s =>
            {
                s.Post.Json(new { reason = "returned to the payer" }).ToUrl($"/api/suspense/{item}/refund");
                s.WithRequestHeader("X-Api-Key", Keys.Finance);
            }));
        }
        var answers = await Task.WhenAll(work);

        answers.ShouldAllBe(a => (int)a < 500);
        answers.Take(3).ShouldAllBe(a => a == HttpStatusCode.OK);
        answers.Skip(3).Take(12).ShouldAllBe(a => a == HttpStatusCode.Created || a == HttpStatusCode.OK || a == HttpStatusCode.Conflict);
        answers.Skip(15).Count(a => a == HttpStatusCode.OK).ShouldBe(4);   // each held item settled once

        var money = await new MoneyConservation(Fixture.Store).CheckAsync(CancellationToken.None);
        money.Problems.ShouldBeEmpty();
        // 4 held + 18 + 12 file lines + 8 distinct API references.
        money.Transactions.ShouldBe(4 + 18 + 12 + 8);
        money.Received.ShouldBe(4 * 58.72m + 14 * 55.92m + 4 * 60.00m + 12 * 70.00m + 8 * 30.00m);
        (await new ProjectionVerifier(Fixture.Store).VerifyAsync(CancellationToken.None)).Differences.ShouldBeEmpty();
    }
}
