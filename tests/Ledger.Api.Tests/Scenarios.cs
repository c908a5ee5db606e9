using Salex.Projections.Payments;
using Alba;
using Marten;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Features.Enrolling;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.Enrolment;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

public static class Keys
{
    public const string Enrolment = "dev-enrolment";
    public const string Finance = "dev-finance";
    public const string Auditor = "dev-auditor";
    public const string RightsReader = "dev-rights-reader";
    public const string Admin = "dev-admin";
    public const string PolicyAdmin = "dev-policy-admin";
}

/// <summary>Scenario helpers that read as the regime's activities.</summary>
public static class Scenarios
{
    private static int _nextDui = 1234567;

    /// <summary>A fresh, valid DUI (8 digits and the right check digit).</summary>
    public static string NewDui()
    {
        var digits = Interlocked.Increment(ref _nextDui).ToString("00000000");
        return $"{digits}-{Dui.CheckDigit(digits)}";
    }

    public static object EnrolmentBody(string? dui = null, string birthDate = "1985-06-02", string enrolledOn = "2018-01-10",
        string? firstPeriod = null, bool residesAbroad = true, object[]? beneficiaries = null) => new
    {
        dui = dui ?? NewDui(),
        fullName = "Ana María López",
        birthDate,
        countryOfResidence = "US",
        email = "ana@example.com",
        enrolledOn,
        firstPeriod,
        eligibilityChecks = new { identityVerified = true, residesAbroad, notInsuredElsewhere = true },
        beneficiaries = beneficiaries ?? [],
    };

    public static async Task<string> EnrolAsync(this IAlbaHost host, string enrolledOn = "2018-01-10", string? firstPeriod = null,
        string birthDate = "1985-06-02", object[]? beneficiaries = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(EnrolmentBody(enrolledOn: enrolledOn, firstPeriod: firstPeriod, birthDate: birthDate, beneficiaries: beneficiaries)).ToUrl("/api/insured");
            s.WithRequestHeader("X-Api-Key", Keys.Enrolment);
            s.StatusCodeShouldBe(201);
        });
        var body = await result.ReadAsJsonAsync<EnrolResponse>();
        return body!.AffiliationNumber;
    }

    public static object PaymentBody(string paidOn, decimal amount, string reference, string bankCode = "AGRICOLA", string channel = "ONLINE") =>
        new { paidOn, amount, bankCode, reference, channel };

    public static async Task<PaymentResponse> PayAsync(this IAlbaHost host, string affiliationNumber, string paidOn, decimal amount,
        string? reference = null, int expectedStatus = 201)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(PaymentBody(paidOn, amount, reference ?? Guid.NewGuid().ToString("N")[..12])).ToUrl($"/api/insured/{affiliationNumber}/payments");
            s.WithRequestHeader("X-Api-Key", Keys.Finance);
            s.StatusCodeShouldBe(expectedStatus);
        });
        return (await result.ReadAsJsonAsync<PaymentResponse>())!;
    }

    public static async Task<T> GetJsonAsync<T>(this IAlbaHost host, string url, string key = Keys.Admin)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("X-Api-Key", key);
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }

    public static Task<RightsAnswer> RightsAsync(this IAlbaHost host, string affiliationNumber, string on) =>
        host.GetJsonAsync<RightsAnswer>($"/api/rights/{affiliationNumber}?on={on}", Keys.RightsReader);

    public static Task<ArrearsStatement> ArrearsAsync(this IAlbaHost host, string affiliationNumber, string on) =>
        host.GetJsonAsync<ArrearsStatement>($"/api/insured/{affiliationNumber}/arrears?on={on}", Keys.Finance);

    public static Task<AccountSummary> SummaryAsync(this IAlbaHost host, string affiliationNumber) =>
        host.GetJsonAsync<AccountSummary>($"/api/insured/{affiliationNumber}", Keys.Finance);

    /// <summary>A problem-details answer: its status and the fields named in <c>errors</c>.</summary>
    public static async Task<ProblemBody> ProblemAsync(this IScenarioResult result)
    {
        result.Context.Response.ContentType.ShouldStartWith("application/problem+json");
        return (await result.ReadAsJsonAsync<ProblemBody>())!;
    }

    /// <summary>A change made with SQL behind the service's back (tampering, a damaged read model); it must touch a row.</summary>
    public static async Task PlantWithSqlAsync(this IAlbaHost host, string sql, params (string Name, object Value)[] parameters)
    {
        var store = (IDocumentStore)host.Services.GetService(typeof(IDocumentStore))!;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        (await command.ExecuteNonQueryAsync()).ShouldBeGreaterThan(0, "the planted change must touch a row");
    }

    /// <summary>
    /// Events recorded by the tests' requests: every event but the policy streams' seeded rows (rates, banks), which are there
    /// from the first start (<paramref name="includingPolicy"/> counts those too).
    /// </summary>
    public static async Task<long> EventCountAsync(this IAlbaHost host, bool includingPolicy = false)
    {
        var store = (IDocumentStore)host.Services.GetService(typeof(IDocumentStore))!;
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<long>(
            includingPolicy ? "select count(*) from salex.mt_events"
                : "select count(*) from salex.mt_events where stream_id not in ('policy-rates', 'partner-banks')",
            CancellationToken.None);
        return rows[0];
    }
}

public sealed record ProblemBody(string? Title, int Status, string? Detail, Dictionary<string, string[]>? Errors);
