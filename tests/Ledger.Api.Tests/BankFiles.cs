using System.Text;
using Alba;
using Salex.Ledger.Api.Features.ImportingBankFiles;

namespace Salex.Ledger.Api.Tests;

/// <summary>Bank files as the tests send them: CSV text, posted as the body or as a multipart upload.</summary>
public static class BankFiles
{
    public const string Header = "bankCode,transactionId,paidAt,affiliationNumber,amount,channel";

    public static string Csv(params string[] lines) => string.Join("\n", [Header, .. lines]) + "\n";

    public static async Task<IScenarioResult> PostBankFileAsync(this IAlbaHost host, byte[] body, int expectedStatus = 200,
        string key = Keys.Finance, string contentType = "text/csv", string url = "/api/bank-files") =>
        await host.Scenario(s =>
        {
            s.Post.Url(url);
            s.ConfigureHttpContext(c =>
            {
                c.Request.ContentType = contentType;
                c.Request.Body = new MemoryStream(body);
                c.Request.ContentLength = body.Length;
            });
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(expectedStatus);
        });

    public static async Task<BankFileSummary> ImportCsvAsync(this IAlbaHost host, string csv) =>
        (await (await host.PostBankFileAsync(Encoding.UTF8.GetBytes(csv))).ReadAsJsonAsync<BankFileSummary>())!;
}
