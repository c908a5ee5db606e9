using System.Net;
using System.Text;
using CsCheck;
using Marten;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Tests;
using Salex.Projections.Integrity;
using Shouldly;
using Xunit.Abstractions;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Generated hostile requests (NUL and other control characters, bidi overrides, lone surrogates, huge strings,
/// wrong JSON types, numbers past <c>decimal</c>, far dates, missing fields, broken JSON) at every write route.
/// None may answer 5xx, and none that is refused (4xx) may change anything: no new event, stream or receipt.
/// At the end no failed write has left Marten's tombstones behind, and every chain verifies.
/// </summary>
public sealed class HostileInputTests(LedgerHost fixture, ITestOutputHelper output) : LedgerTest(fixture)
{
    private sealed record Request(string Method, string Url, string ContentType, string Body)
    {
        public override string ToString() => $"{Method} {Url} ({ContentType}) {(Body.Length > 4000 ? Body[..4000] + $"… ({Body.Length} chars)" : Body)}";
    }

    /// <summary>What a refused request must leave as it was.</summary>
    private sealed record Snapshot(long LastSequence, long Streams, long Versions, long Receipts, long Documents);

    private async Task<Snapshot> SnapshotAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        var row = (await session.AdvancedSql.QueryAsync<string>("""
            select concat_ws('|', (select coalesce(max(seq_id), 0) from salex.mt_events), (select count(*) from salex.mt_streams),
                (select coalesce(sum(version), 0) from salex.mt_streams), (select count(*) from salex.mt_doc_paymentreceipt),
                (select count(*) from salex.mt_doc_suspenseitem) + (select count(*) from salex.mt_doc_bankfilereconciliation))
            """, CancellationToken.None))[0].Split('|').Select(long.Parse).ToArray();
        return new Snapshot(row[0], row[1], row[2], row[3], row[4]);
    }

    // ---- generators: JSON fragments ----

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>Values no field should take: written as raw JSON, so escapes such as \u0000 and \ud800 reach the server as sent.</summary>
    private static readonly Gen<string> Nasty = Gen.OneOf(
        "\"\\u0000\"", "\"AB\\u0000CD\"", "\"\\u202Eevil\"", "\"a\\u0007b\"", "\"line\\nbreak\"", "\"\\ud800\"", "\"x\\udfff\"",
        "\"\\uFEFFx\"", "\"zero\\u200Bwidth\"", "\"\"", "\"   \"", "null", "true", "[]", "{}", "[1,2]", "0", "-1", "1e400",
        "79228162514264337593543950335", "-79228162514264337593543950335", "0.001", "123456789012345678901234567890.5",
        "\"68.04\"", "\"9999-12-31\"", "\"0001-01-01\"", "\"2018-02-30\"", "\"9999-12\"", "\"0000-01\"", "\"../../ETC/PASSWD\"",
        "\"ＳＶ\"", "\"%00\"", "\"9999-12-31T23:59:59Z\"");

    private static readonly Gen<string> Huge = Gen.Int[200, 70_000].Select(n => Json(new string('x', n)));

    private static Gen<string> Text(params string[] valid) =>
        Gen.Frequency((3, Gen.OneOf(valid).Select(Json)), (4, Nasty), (1, Huge));

    private static Gen<string> Number(params string[] valid) => Gen.Frequency((3, Gen.OneOf(valid)), (4, Nasty));

    private static Gen<string> Fresh(string prefix) =>
        Gen.Frequency((3, Gen.Const(() => Json($"{prefix}{Guid.NewGuid():N}"[..20]))), (4, Nasty), (1, Huge));

    /// <summary>A JSON object with each field present four times in five; now and then a body that is not an object at all.</summary>
    private static Gen<string> Body(params (string Name, Gen<string> Value)[] fields)
    {
        var members = Gen.Const("");
        foreach (var (name, value) in fields)
            members = members.SelectMany(acc => Gen.Frequency(
                (4, value.Select(v => (acc.Length == 0 ? "" : acc + ",") + $"{Json(name)}:{v}")), (1, Gen.Const(acc))));
        var broken = Gen.OneOf("", "{", "[1,2]", "null", "\"text\"", "{\"a\":}", new string('[', 100) + new string(']', 100), "{\"a\":1}}");
        return Gen.Frequency((12, members.Select(m => "{" + m + "}")), (1, broken));
    }

    /// <summary>A route value: mostly a real one, sometimes hostile (escaped into the path).</summary>
    private static Gen<string> Segment(string real) => Gen.Frequency((6, Gen.Const(real)),
        (1, Gen.OneOf("%01", "a%07b", "%E2%80%AE1", "..%2F..%2Fetc", new string('9', 5000), "%ED%A0%80", "100000017%0A")));

    private static Gen<Request> JsonPost(Gen<string> url, Gen<string> body) =>
        Gen.Select(url, body, (u, b) => new Request("POST", u, "application/json", b));

    private static readonly Gen<string> Beneficiary = Body(("fullName", Text("Luis López")), ("birthDate", Text("2020-03-15")),
        ("relationship", Text("Child", "Spouse")), ("effectiveOn", Text("2026-11-01")));

    private static Gen<string> Enrolment => Body(
        ("dui", Gen.Frequency((3, Gen.Const(() => Json(Scenarios.NewDui()))), (4, Nasty), (1, Huge))),
        ("fullName", Text("Ana María López")), ("birthDate", Text("1985-06-02")), ("countryOfResidence", Text("US", "MX")),
        ("email", Text("ana@example.com")), ("enrolledOn", Text("2018-01-10")), ("firstPeriod", Text("2018-02")),
        ("eligibilityChecks", Gen.Frequency((3, Gen.Const("{\"identityVerified\":true,\"residesAbroad\":true,\"notInsuredElsewhere\":true}")),
            (1, Gen.Const("{\"identityVerified\":\"yes\"}")), (2, Nasty))),
        ("beneficiaries", Gen.Frequency((3, Beneficiary.Array[0, 3].Select(b => "[" + string.Join(",", b) + "]")),
            (1, Gen.Int[21, 5000].Select(n => "[" + string.Join(",", Enumerable.Repeat(
                "{\"fullName\":\"Niño\",\"birthDate\":\"2020-01-01\",\"relationship\":\"Child\"}", n)) + "]")),
            (1, Nasty))));

    private static string CsvField(string text) => text.Replace(",", ";");

    /// <summary>A bank file line whose fields may hold NUL bytes, control characters, huge or far-off values.</summary>
    private static Gen<string> CsvLine(string account)
    {
        var hostile = Gen.OneOf("\0", "A\0B", "\u202E1", "x\u0007y", new string('9', 3000), "\uFEFF", "");
        Gen<string> F(params string[] valid) => Gen.Frequency((4, Gen.OneOf(valid)), (1, hostile));
        return Gen.Select(F("AGRICOLA", "cuscatlan"), Gen.Frequency((4, Gen.Const(() => $"T-{Guid.NewGuid():N}"[..14])), (1, hostile)),
            F("2024-03-05T10:15:00-06:00", "9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z"), F(account, "999999999"),
            F("58.72", "79228162514264337593543950335", "99999999999.99"), F("ONLINE", "BRANCH"),
            (b, t, p, a, m, c) => string.Join(",", CsvField(b), CsvField(t), p, CsvField(a), m, c));
    }

    private static Gen<string> CamtEntry(string account)
    {
        var hostile = Gen.OneOf("\0", "&#0;", "&#x202E;1", "A&#1;B", new string('9', 3000), "\u202E");
        Gen<string> F(params string[] valid) => Gen.Frequency((4, Gen.OneOf(valid)), (1, hostile));
        return Gen.Select(F("58.72", "79228162514264337593543950335"), F($"Pago {account}", "sin afiliación"),
            Gen.Frequency((4, Gen.Const(() => $"C-{Guid.NewGuid():N}"[..14])), (1, hostile)),
            F("<DtTm>2024-03-05T10:15:00-06:00</DtTm>", "<Dt>9999-12-31</Dt>", "<Dt>0001-01-01</Dt>"),
            (amount, remittance, reference, booking) => CamtSamples.Entry(amount, remittance, reference, booking));
    }

    private static Gen<Request> Requests(string account, string suspenseId, string beneficiaryId)
    {
        var n = Segment(account);
        var query = Gen.OneOf("", "2026-11-01", "9999-12-31", "0001-01-01", "%00", "%E2%80%AE", new string('1', 5000));
        return Gen.OneOf(
            JsonPost(Gen.Const("/api/insured"), Enrolment),
            JsonPost(n.Select(x => $"/api/insured/{x}/payments"), Body(("paidOn", Text("2018-03-05", "2026-11-23")),
                ("amount", Number("58.72", "55.92", "1000")), ("bankCode", Text("AGRICOLA")), ("reference", Fresh("P-")),
                ("channel", Text("ONLINE", "BRANCH")))),
            JsonPost(n.Select(x => $"/api/insured/{x}/return"), Body(("returnedOn", Text("2026-11-20")))),
            JsonPost(n.Select(x => $"/api/insured/{x}/withdraw"), Body(("effectiveOn", Text("2026-12-01")))),
            JsonPost(n.Select(x => $"/api/insured/{x}/beneficiaries"), Beneficiary),
            Gen.Select(n, Segment(beneficiaryId), query, (x, id, on) =>
                new Request("DELETE", $"/api/insured/{x}/beneficiaries/{id}?effectiveOn={on}", "application/json", "")),
            JsonPost(Gen.Const("/api/rates"), Body(("firstPeriod", Text("2027-01", "2030-06")), ("minimumWage", Number("400", "365.5")))),
            JsonPost(Segment(suspenseId).Select(x => $"/api/suspense/{x}/assign"), Body(("affiliationNumber", Text(account)))),
            JsonPost(Segment(suspenseId).Select(x => $"/api/suspense/{x}/refund"), Body(("reason", Text("The payer is not insured.")))),
            CsvLine(account).Array[1, 4].Select(lines => new Request("POST", "/api/bank-files", "text/csv",
                string.Join("\n", [BankFiles.Header, .. lines]) + "\n")),
            CamtEntry(account).Array[1, 3].Select(entries => new Request("POST", "/api/bank-files", "application/xml",
                CamtSamples.Statement(string.Concat(entries)))));
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, Request r)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Method), r.Url);
        message.Headers.Add("X-Api-Key", Keys.Admin);
        if (r.Method != "DELETE")
        {
            message.Content = new StringContent(r.Body, Encoding.UTF8);
            // As sent, parameters included (StringContent would add its own charset).
            message.Content.Headers.Remove("Content-Type");
            message.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
        }
        using var response = await client.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task generated_hostile_requests_at_every_write_route_never_fail_the_server_and_refusals_change_nothing()
    {
        var account = await Host.EnrolAsync(enrolledOn: "2018-01-10", beneficiaries:
            [new { fullName = "Luis López", birthDate = "2015-03-15", relationship = "Child" }]);
        await Host.PayAsync(account, "2018-03-05", 58.72m, "SEED-1");
        var beneficiaryId = (await Host.SummaryAsync(account)).Beneficiaries[0].Id.ToString();
        await Host.ImportCsvAsync(BankFiles.Csv("AGRICOLA,SEED-S,2024-03-05T10:15:00-06:00,999999999,58.72,ONLINE"));
        string suspenseId;
        await using (var session = Fixture.Store.QuerySession())
            suspenseId = (await session.Query<SuspenseItem>().FirstAsync()).Id;
        var client = Host.Server.CreateClient();
        var statuses = new Dictionary<int, int>();

        await Requests(account, suspenseId, beneficiaryId).SampleAsync(async request =>
        {
            var before = await SnapshotAsync();
            var (status, body) = await SendAsync(client, request);
            lock (statuses) statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
            ((int)status).ShouldBeLessThan(500, $"{request} answered {(int)status}: {body}");
            if ((int)status >= 400) (await SnapshotAsync()).ShouldBe(before, $"{request} was refused ({(int)status}) but changed the ledger: {body}");
            if (request.Url == "/api/bank-files" && status == HttpStatusCode.OK)
                body.ShouldContain("\"status\":\"Completed\"", Case.Sensitive, $"an imported file must complete: {request} → {body}");
        }, iter: 300, threads: 1, seed: Environment.GetEnvironmentVariable("HOSTILE_SEED"));

        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        await AssertNoFailedWriteLeftAnythingAsync();
    }

    /// <summary>The reads the issue reported as 500, and their siblings: every query value of every read route, generated.</summary>
    /// <summary>The rights reads that take their keys from a body (the batch query, FHIR eligibility by affiliation number
    /// and by DUI) or a FHIR path: every hostile value, alone or beside a real number, answers below 500 (a lone
    /// surrogate or a NUL reaching the database read was a 500 waiting to happen).</summary>
    [Fact]
    public async Task hostile_keys_on_the_rights_reads_never_fail_the_server()
    {
        var account = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Keys.Admin);
        var keys = new[]
        {
            "\"\\u0000\"", "\"1000\\u000000017\"", "\"\\ud800\"", "\"1000\\udfff00017\"", "\"\\u202E100000017\"",
            "\"a\\u0007b\"", "\"\"", "null", "1", "[]", "{}", Json(new string('7', 5000)), Json(account), Json(account + " "),
            "\"9999-12-31\"", "\"0001-01-01\"", "\"-0001-01-01\"", Json(new string('7', 70_000)),
        };
        foreach (var key in keys)
        {
            var requests = new List<(string Url, string Type, string Body)>
            {
                ("/api/rights/query", "application/json", $$"""{"affiliationNumbers":[{{key}}],"on":"2018-03-10"}"""),
                ("/api/rights/query", "application/json", $$"""{"affiliationNumbers":[{{Json(account)}},{{key}}]}"""),
                ("/api/rights/query", "application/json", $$"""{"affiliationNumbers":{{key}}}"""),
                ("/api/rights/query", "application/json", $$"""{"affiliationNumbers":[{{Json(account)}}],"on":{{key}}}"""),
            };
            foreach (var system in new[] { "https://fhir.isss.gob.sv/sid/salex-affiliation", "https://fhir.isss.gob.sv/sid/dui" })
                requests.Add(("/fhir/r4/CoverageEligibilityRequest", "application/fhir+json", $$$"""
                    {"resourceType":"CoverageEligibilityRequest","status":"active","purpose":["validation"],
                     "patient":{"identifier":{"system":"{{{system}}}","value":{{{key}}}}},
                     "servicedDate":"2018-03-10","created":"2018-03-10T09:00:00-06:00","insurer":{"display":"ISSS"}}
                    """));
            foreach (var (url, type, body) in requests)
            {
                using var response = await client.PostAsync(url, new StringContent(body, Encoding.UTF8, type));
                ((int)response.StatusCode).ShouldBeLessThan(500, $"POST {url} {body}: {await response.Content.ReadAsStringAsync()}");
            }
        }
        foreach (var segment in new[] { "%01", "%ED%A0%80", "1000%0A00017", "%E2%80%AE100000017", new string('9', 5000), account + "%20" })
            foreach (var type in new[] { "Patient", "Coverage" })
            {
                using var response = await client.GetAsync($"/fhir/r4/{type}/{segment}");
                ((int)response.StatusCode).ShouldBeLessThan(500, $"{type}/{segment}: {await response.Content.ReadAsStringAsync()}");
            }
    }

    [Fact]
    public async Task generated_query_values_on_every_read_route_never_fail_the_server()
    {
        var account = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var file = await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,Q-1,2024-03-05T10:15:00-06:00,{account},58.72,ONLINE"));
        var client = Host.Server.CreateClient();
        var value = Gen.OneOf("", "1", "0", "-1", "2147483647", "2147483648", "9223372036854775807", "99999999999999999999",
            "2024-03-10", "9999-12-31", "0001-01-01", "-0001-01-01", "2024-02-30", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
            "2024-03-05T10:15:00-06:00", "%00", "%E2%80%AE", "open", "abc", new string('7', 3000), "04567890-3");
        var routes = Gen.OneOf(
            $"/api/insured/{account}/state?on={{0}}&asOf={{1}}", $"/api/insured/{account}/state?version={{0}}&on={{1}}",
            $"/api/insured/{account}/arrears?on={{0}}&asOf={{1}}", $"/api/rights/{account}?on={{0}}&asOf={{1}}",
            "/api/rights?dui={0}&on={1}", $"/api/insured/{account}/history?page={{0}}&pageSize={{1}}",
            $"/api/bank-files/{file.FileId}?page={{0}}&pageSize={{1}}", "/api/reconciliation?bank={0}&from={1}&to={1}",
            "/api/suspense?status={0}", "/api/reserve/{2}", "/api/digests/{2}", "/api/insured/{2}", "/api/rights/{2}?on={0}",
            "/api/bank-files/{2}", "/api/insured/{2}/history", $"/api/insured/{account}/verify?x={{0}}", "/health?x={0}");
        // The test server refuses a NUL in the path before the host sees it (Kestrel answers 400 itself).
        var segment = value.Where(v => v != "%00");
        await Gen.Select(routes, value, value, segment, (r, a, b, p) => string.Format(r, a, b, p)).SampleAsync(async url =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            message.Headers.Add("X-Api-Key", Keys.Admin);
            using var response = await client.SendAsync(message);
            ((int)response.StatusCode).ShouldBeLessThan(500, $"GET {url}: {await response.Content.ReadAsStringAsync()}");
        }, iter: 200, threads: 1);

        // The cases of the issue, named.
        foreach (var url in new[] { $"/api/insured/{account}/state?on=9999-12-31", $"/api/insured/{account}/state?asOf=9999-12-31T23:59:59Z",
                     $"/api/bank-files/{file.FileId}?page=2147483647", $"/api/insured/{account}/history?page=2147483647" })
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            message.Headers.Add("X-Api-Key", Keys.Admin);
            using var response = await client.SendAsync(message);
            ((int)response.StatusCode).ShouldBeLessThan(500, url);
        }
    }

    [Fact]
    public async Task a_wrong_json_type_names_its_field()
    {
        var account = await Host.EnrolAsync();
        var client = Host.Server.CreateClient();
        foreach (var (body, field) in new[]
                 {
                     ("""{"paidOn":"2018-03-05","amount":"68.04","bankCode":"AGRICOLA","reference":"W-1","channel":"ONLINE"}""", "amount"),
                     ("""{"paidOn":20180305,"amount":68.04,"bankCode":"AGRICOLA","reference":"W-1","channel":"ONLINE"}""", "paidOn"),
                     ("""{"paidOn":"2018-03-05","amount":1e400,"bankCode":"AGRICOLA","reference":"W-1","channel":"ONLINE"}""", "amount"),
                     ("""{"paidOn":"2018-03-05","amount":79228162514264337593543950335,"bankCode":"AGRICOLA","reference":"W-1","channel":"ONLINE"}""", "amount"),
                     ("""{"paidOn":"2018-03-05","amount":68.04,"bankCode":"AGRI\u0000COLA","reference":"W-1","channel":"ONLINE"}""", "bankCode"),
                 })
        {
            var (status, answer) = await SendAsync(client, new Request("POST", $"/api/insured/{account}/payments", "application/json", body));
            status.ShouldBe(HttpStatusCode.BadRequest, answer);
            answer.ShouldContain($"\"{field}\":", Case.Sensitive, answer);
        }
    }

    /// <summary>
    /// A field given twice (also in another case), or money with more digits than a decimal holds, was booked as the
    /// last value or rounded (found by attacking the service): each is refused, naming the field, and records nothing.
    /// </summary>
    [Theory]
    [InlineData("""{"paidOn":"2018-03-05","amount":1.00,"amount":55.92,"bankCode":"AGRICOLA","reference":"D-1","channel":"ONLINE"}""", "amount", "more than once")]
    [InlineData("""{"paidOn":"2018-03-05","amount":1.00,"Amount":55.92,"bankCode":"AGRICOLA","reference":"D-2","channel":"ONLINE"}""", "amount", "more than once")]
    [InlineData("""{"paidOn":"2018-03-05","amount":55.92,"bankCode":"AGRICOLA","reference":"D-3","reference":"D-4","channel":"ONLINE"}""", "reference", "more than once")]
    [InlineData("""{"paidOn":"2018-03-05","amount":55.9200000000000000000000000001,"bankCode":"AGRICOLA","reference":"D-5","channel":"ONLINE"}""", "amount", "significant digits")]
    public async Task a_field_given_twice_or_money_past_a_decimals_precision_is_refused_naming_it(string body, string field, string reason)
    {
        var account = await Host.EnrolAsync();
        var before = await Host.EventCountAsync();

        var (status, answer) = await SendAsync(Host.Server.CreateClient(),
            new Request("POST", $"/api/insured/{account}/payments", "application/json", body));

        status.ShouldBe(HttpStatusCode.BadRequest, answer);
        answer.ShouldContain($"\"{field}\":", Case.Sensitive, answer);
        answer.ShouldContain(reason);
        (await Host.EventCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("application/json; charset=utf-16", false)]
    [InlineData("application/json; charset=\"UTF-8\"", true)]
    [InlineData("application/json; charset=utf8", true)]
    public async Task a_json_body_declared_in_another_charset_is_refused_naming_content_type(string contentType, bool accepted)
    {
        var account = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        var (status, answer) = await SendAsync(Host.Server.CreateClient(), new Request("POST", $"/api/insured/{account}/payments",
            contentType, """{"paidOn":"2018-01-20","amount":55.92,"bankCode":"AGRICOLA","reference":"C-1","channel":"ONLINE"}"""));
        if (accepted)
            status.ShouldBe(HttpStatusCode.Created, answer);
        else
        {
            status.ShouldBe(HttpStatusCode.BadRequest, answer);
            answer.ShouldContain("\"Content-Type\":", Case.Sensitive, answer);
        }
    }

    [Fact]
    public async Task a_missing_amount_is_refused_once_as_required()
    {
        var account = await Host.EnrolAsync();
        var (status, answer) = await SendAsync(Host.Server.CreateClient(), new Request("POST", $"/api/insured/{account}/payments",
            "application/json", """{"paidOn":"2018-03-05","amount":null,"bankCode":"AGRICOLA","reference":"N-1","channel":"ONLINE"}"""));
        status.ShouldBe(HttpStatusCode.BadRequest, answer);
        answer.ShouldContain("\"amount\":[\"The amount is required.\"]", Case.Sensitive, answer);
    }

    [Fact]
    public async Task a_body_nested_too_deep_says_so()
    {
        var account = await Host.EnrolAsync();
        var body = string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000);
        var (status, answer) = await SendAsync(Host.Server.CreateClient(),
            new Request("POST", $"/api/insured/{account}/payments", "application/json", body));
        status.ShouldBe(HttpStatusCode.BadRequest, answer);
        answer.ShouldContain("nested deeper than 64 levels");
    }

    [Fact]
    public async Task money_with_trailing_zeros_or_an_exponent_is_still_read()
    {
        var account = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        foreach (var (amount, reference) in new[] { ("55.920000000000000000000000000000", "Z-1"), ("5592e-2", "Z-2") })
        {
            var (status, answer) = await SendAsync(Host.Server.CreateClient(), new Request("POST",
                $"/api/insured/{account}/payments", "application/json",
                $$"""{"paidOn":"2018-0{{(reference == "Z-1" ? 1 : 2)}}-20","amount":{{amount}},"bankCode":"AGRICOLA","reference":"{{reference}}","channel":"ONLINE"}"""));
            status.ShouldBe(HttpStatusCode.Created, answer);
        }
        // Two contributions of 55.92: the first two periods (the first is 2018-02 for an enrolment on the 10th).
        (await Host.SummaryAsync(account)).PaidThrough.ShouldBe("2018-03");
    }

    /// <summary>No request above failed in the database: Marten writes tombstones only for a failed commit.</summary>
    private async Task AssertNoFailedWriteLeftAnythingAsync()
    {
        await Task.Delay(200); // Marten posts tombstones in the background after the failed commit
        await using (var session = Fixture.Store.QuerySession())
            (await session.AdvancedSql.QueryAsync<long>($"select count(*) from salex.mt_events where stream_id = '{ChainVerifier.TombstoneStream}'",
                CancellationToken.None))[0].ShouldBe(0, "a failed write left tombstones");
        await foreach (var stream in new ChainVerifier(Fixture.Store).VerifyAllAsync(CancellationToken.None))
            stream.Intact.ShouldBeTrue($"{stream.StreamId}: {stream.BrokenLink}");
    }
}
