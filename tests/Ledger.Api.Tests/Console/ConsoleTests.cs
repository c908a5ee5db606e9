using System.Text.RegularExpressions;
using Alba;
using Salex.Ledger.Api.Features.ImportingBankFiles;
using Salex.Ledger.Api.Features.OperationsConsole;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Salex.Ledger.Rights;
using Shouldly;

namespace Salex.Ledger.Api.Tests.Console;

/// <summary>
/// The console through the in-memory host: its session, its refusals, its role limits, its escaping and its preview,
/// page by page (the browser tests drive the same pages in Chromium).
/// </summary>
public sealed partial class ConsoleTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private ConsoleClient Console() => new(Host);

    private async Task<(string FileId, string ItemId)> SuspenseItemAsync(string payer, decimal amount = 120m, string paidAt = "2018-03-05T10:15:00-06:00")
    {
        var file = await Host.ImportCsvAsync(BankFiles.Csv($"AGRICOLA,R-{Guid.NewGuid():N},{paidAt},{payer},{amount:0.00},ONLINE"));
        var items = await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance);
        return (file.FileId, items.Single(i => i.FileId == file.FileId).Id);
    }

    [Fact]
    public async Task a_wrong_key_is_refused_and_opens_no_session()
    {
        var console = Console();
        await console.GetAsync("/console/sign-in");
        var result = await console.PostAsync("/console/sign-in", new() { ["apiKey"] = "dev-nobody" });
        result.Context.Response.StatusCode.ShouldBe(401);
        console.LastHtml.ShouldContain("class=\"problem\"");
        console.Cookies.ShouldNotContainKey(ConsoleAuthentication.Cookie);
        (await console.GetAsync("/console/suspense")).Context.Response.StatusCode.ShouldBe(302);
    }

    [Fact]
    public async Task the_session_cookie_is_httponly_secure_strict_for_the_console_only_and_does_not_carry_the_key()
    {
        var console = Console();
        await console.SignInAsync(Keys.Finance);
        var session = console.SetCookieHeaders.Single(h => h.StartsWith($"{ConsoleAuthentication.Cookie}=", StringComparison.Ordinal));
        session.ShouldContain("httponly", Case.Insensitive);
        session.ShouldContain("secure", Case.Insensitive);
        session.ShouldContain("samesite=strict", Case.Insensitive);
        session.ShouldContain("path=/console", Case.Insensitive);
        session.ShouldNotContain("expires", Case.Insensitive);   // a session cookie: gone with the browser
        session.ShouldNotContain(Keys.Finance);
        (await console.GetAsync("/console/suspense")).Context.Response.StatusCode.ShouldBe(200);

        // The console's cookie opens no API route; an API key opens no console page.
        (await console.GetAsync("/api/suspense")).Context.Response.StatusCode.ShouldBe(401);
        var bare = Console();
        var withKey = await bare.GetAsync("/console/suspense", apiKey: Keys.Finance);
        withKey.Context.Response.StatusCode.ShouldBe(302);
        withKey.Context.Response.Headers.Location.ToString().ShouldContain("/console/sign-in");

        // Signing out ends it.
        await console.GetAsync("/console");
        (await console.PostAsync("/console/sign-out", new())).Context.Response.StatusCode.ShouldBe(302);
        (await console.GetAsync("/console/suspense")).Context.Response.StatusCode.ShouldBe(302);
    }

    [Fact]
    public void a_session_ends_once_its_key_is_no_longer_configured()
    {
        var entry = new ApiKeyEntry("finance-office", Roles.Finance, ApiKeyRegistry.HashOf("k"));
        var session = ConsoleAuthentication.PrincipalOf(entry);
        ConsoleAuthentication.StillHeld(session, new ApiKeyRegistry([entry])).ShouldBeTrue();
        ConsoleAuthentication.StillHeld(session, new ApiKeyRegistry([])).ShouldBeFalse();
        // The same name with another role (the key was given another role) is another key.
        ConsoleAuthentication.StillHeld(session, new ApiKeyRegistry([entry with { Role = Roles.Auditor }])).ShouldBeFalse();
    }

    [Fact]
    public async Task a_form_without_its_antiforgery_token_is_refused_and_records_nothing()
    {
        var number = await Host.EnrolAsync();
        var (_, item) = await SuspenseItemAsync("999999999");
        var console = Console();
        await console.SignInAsync(Keys.Finance);
        await console.GetAsync($"/console/suspense/{item}");
        var refund = await console.PostAsync($"/console/suspense/{item}/refund", new() { ["reason"] = "forged" }, withToken: false);
        refund.Context.Response.StatusCode.ShouldBe(400);
        refund.Context.Response.ContentType!.ShouldStartWith("text/html");
        var assign = await console.PostAsync($"/console/suspense/{item}/assign", new() { ["affiliationNumber"] = number }, withToken: false);
        assign.Context.Response.StatusCode.ShouldBe(400);
        // A token from another session is no better.
        var other = Console();
        await other.SignInAsync(Keys.Admin);
        await other.GetAsync($"/console/suspense/{item}");
        await console.GetAsync("/console");
        var stolen = await console.PostAsync($"/console/suspense/{item}/refund",
            new() { ["reason"] = "forged", ["__RequestVerificationToken"] = other.Token }, withToken: false);
        stolen.Context.Response.StatusCode.ShouldBe(400);

        (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).Single(s => s.Id == item).Status.ShouldBe("Open");
        (await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{number}/history", Keys.Auditor)).TotalEvents.ShouldBe(1);
    }

    /// <summary>What a page's form is not: another type, a multipart body cut short or without its boundary, more
    /// fields than a form may have, an escape that decodes to a NUL.</summary>
    public static TheoryData<string, string> NotForms => new()
    {
        { "application/json", "{\"reason\":\"x\",\"affiliationNumber\":\"100000017\"}" },
        { "text/plain", "reason=x" },
        { "multipart/form-data; boundary=abc", "x" },
        { "multipart/form-data", "x" },
        { "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")) },
        { "application/x-www-form-urlencoded", "reason=%ZZ%00" },
    };

    [Theory]
    [MemberData(nameof(NotForms))]
    public async Task a_body_that_is_not_a_readable_form_is_a_400_page_and_records_nothing(string contentType, string body)
    {
        var number = await Host.EnrolAsync();
        var (_, item) = await SuspenseItemAsync("999999999");
        var anonymous = Console();
        await anonymous.GetAsync("/console/sign-in");
        foreach (var withToken in new[] { true, false })
        {
            var signIn = await anonymous.PostRawAsync("/console/sign-in", contentType, body, withToken);
            signIn.Context.Response.StatusCode.ShouldBe(400);
            signIn.Context.Response.ContentType!.ShouldStartWith("text/html");
        }
        anonymous.Cookies.ShouldNotContainKey(ConsoleAuthentication.Cookie);

        var console = Console();
        await console.SignInAsync(Keys.Finance);
        foreach (var url in new[] { $"/console/suspense/{item}/refund", $"/console/suspense/{item}/assign", "/console/bank-files", "/console/sign-out" })
        foreach (var withToken in new[] { true, false })
        {
            await console.GetAsync($"/console/suspense/{item}");
            var result = await console.PostRawAsync(url, contentType, body, withToken);
            result.Context.Response.StatusCode.ShouldBe(400, $"{url} with the token {(withToken ? "in a header" : "missing")}");
            result.Context.Response.ContentType!.ShouldStartWith("text/html");
        }
        (await console.GetAsync("/console/suspense")).Context.Response.StatusCode.ShouldBe(200, "still signed in");

        (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).Single(s => s.Id == item).Status.ShouldBe("Open");
        (await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{number}/history", Keys.Auditor)).TotalEvents.ShouldBe(1);
    }

    public static TheoryData<string, string> Pages => new()
    {
        { "/console/bank-files", Roles.ReadReconciliation },
        { "/console/reconciliation", Roles.ReadReconciliation },
        { "/console/suspense", Roles.ReadReconciliation },
        { "/console/accounts", Roles.ReadAccounts },
        { "/console/programme", Roles.ReadIndicators },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task each_page_answers_a_403_page_exactly_to_the_roles_the_api_leaves_out(string page, string allowed)
    {
        foreach (var role in Roles.All)
        {
            var console = Console();
            await console.SignInAsync($"dev-{role}");
            var result = await console.GetAsync(page);
            var status = result.Context.Response.StatusCode;
            if (allowed.Split(',').Contains(role))
                status.ShouldBe(200, $"{role} on {page}");
            else
            {
                status.ShouldBe(403, $"{role} on {page}");
                console.LastHtml.ShouldContain($"&#x27;{role}&#x27;");
                console.LastHtml.ShouldNotContain($"href=\"{page}\"");   // nor is the page offered in the navigation
            }
        }
    }

    [Fact]
    public async Task the_upload_and_the_settlements_are_refused_to_roles_that_may_only_read()
    {
        var (_, item) = await SuspenseItemAsync("999999999");
        var console = Console();
        await console.SignInAsync(Keys.Auditor);
        await console.GetAsync($"/console/suspense/{item}");
        console.LastHtml.ShouldNotContain("/refund\"");   // the auditor is offered no settlement
        await console.GetAsync("/console");
        (await console.PostAsync($"/console/suspense/{item}/refund", new() { ["reason"] = "x" })).Context.Response.StatusCode.ShouldBe(403);
        (await console.PostAsync("/console/bank-files", new())).Context.Response.StatusCode.ShouldBe(403);
        (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).Single(s => s.Id == item).Status.ShouldBe("Open");
    }

    [Fact]
    public async Task what_banks_write_is_shown_as_text_on_every_page()
    {
        var hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        var file = await Host.ImportCsvAsync(BankFiles.Csv(
            $"AGRICOLA,R-1,2018-03-05T10:15:00-06:00,{hostile.Replace(",", "")},30.00,ONLINE",
            "AGRICOLA,R-2,2018-03-05T10:15:00-06:00,12\u00003,10.00,ONLINE"));
        var item = (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense", Keys.Finance)).Single().Id;
        var console = Console();
        await console.SignInAsync(Keys.Admin);
        foreach (var url in new[] { "/console/suspense", $"/console/suspense/{item}", $"/console/bank-files/{file.FileId}",
                     $"/console/bank-files/{file.FileId}?outcome=Malformed", "/console/bank-files" })
        {
            var result = await console.GetAsync(url);
            result.Context.Response.StatusCode.ShouldBe(200, url);
            console.LastHtml.ShouldNotContain("<script>", Case.Sensitive, url);
            console.LastHtml.ShouldNotContain("<img", Case.Sensitive, url);
            console.LastHtml.ShouldNotContain("\0", Case.Sensitive, url);
            result.Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldContain("script-src 'self'");
        }
        await console.GetAsync("/console/suspense");
        console.LastHtml.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    }

    [GeneratedRegex("<dd[^>]*>([^<]*)</dd>")]
    private static partial Regex Dd();

    [Fact]
    public async Task the_preview_decides_what_the_assignment_then_records_and_records_nothing_itself()
    {
        var number = await Host.EnrolAsync();
        var (_, item) = await SuspenseItemAsync("UNKNOWN-1", amount: 120m, paidAt: "2018-04-20T10:15:00-06:00");
        var console = Console();
        await console.SignInAsync(Keys.Finance);
        await console.GetAsync($"/console/suspense/{item}?q=ana%20mar&to={number}");
        var preview = console.LastHtml[console.LastHtml.IndexOf("id=\"preview\"", StringComparison.Ordinal)..];
        var previewed = Dd().Matches(preview).Select(m => m.Groups[1].Value).ToList();
        (await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{number}/history", Keys.Auditor)).TotalEvents.ShouldBe(1);

        var result = await console.PostAsync($"/console/suspense/{item}/assign", new() { ["affiliationNumber"] = number });
        result.Context.Response.StatusCode.ShouldBe(200);
        var recorded = Dd().Matches(console.LastHtml).Select(m => m.Groups[1].Value).ToList();
        // The outcome's <dd> holds markup: the figures are contributions, surcharges, credit and refund due.
        recorded.ShouldBe(previewed.Take(4).ToList());
        previewed[0].ShouldNotBe("0.00");   // the money did pay periods

        // Recorded by the API's command: the same stamps as the API's own answer to a suspense assignment.
        var history = await Host.GetJsonAsync<Features.Auditing.HistoryPage>($"/api/insured/{number}/history", Keys.Auditor);
        history.TotalEvents.ShouldBeGreaterThan(1);
        history.Events.Skip(1).ShouldAllBe(e => e.Metadata.RecordedBy == "dev-finance (finance)");
        var assigned = (await Host.GetJsonAsync<List<SuspenseView>>("/api/suspense?status=Assigned", Keys.Finance)).Single();
        assigned.AssignedTo.ShouldBe(number);

        // The same item again: the API's refusal, shown on the page.
        await console.GetAsync($"/console/suspense/{item}");
        var again = await console.PostAsync($"/console/suspense/{item}/assign", new() { ["affiliationNumber"] = number });
        again.Context.Response.StatusCode.ShouldBe(409);
        console.LastHtml.ShouldContain("already assigned");
    }

    [Fact]
    public async Task problems_under_the_console_are_pages_with_the_apis_message()
    {
        var console = Console();
        await console.SignInAsync(Keys.Admin);
        var nul = await console.GetAsync("/console/accounts?q=a%00b");
        nul.Context.Response.StatusCode.ShouldBe(400);
        nul.Context.Response.ContentType!.ShouldStartWith("text/html");
        console.LastHtml.ShouldContain("U&#x2B;0000");
        (await console.GetAsync("/console/accounts/999999999")).Context.Response.StatusCode.ShouldBe(404);
        console.LastHtml.ShouldContain("No insured person has the affiliation number");
        (await console.GetAsync("/console/reconciliation?from=2026-11-20&to=2026-11-01")).Context.Response.StatusCode.ShouldBe(400);
        console.LastHtml.ShouldContain("is after to");
        (await console.GetAsync("/console/bank-files/BF-0?outcome=Nonsense")).Context.Response.StatusCode.ShouldBe(404);
        // A page past the range was clamped to the first or last allowed page; it is refused like the API's.
        var file = await Host.ImportCsvAsync(BankFiles.Csv("AGRICOLA,P-1,2018-03-05T10:15:00-06:00,999999999,58.72,ONLINE"));
        foreach (var page in new[] { "0", "-1", "1000001" })
        {
            (await console.GetAsync($"/console/bank-files/{file.FileId}?page={page}")).Context.Response.StatusCode.ShouldBe(400);
            console.LastHtml.ShouldContain("Pages are numbered from 1 to 1000000.");
        }
        (await console.GetAsync($"/console/bank-files/{file.FileId}?page=1")).Context.Response.StatusCode.ShouldBe(200);
        (await console.GetAsync("/console/no-such-page")).Context.Response.StatusCode.ShouldBe(404);
        console.LastHtml.ShouldStartWith("<!doctype html>");
    }

    [Theory]
    [InlineData("https://evil.example/", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/console//evil.example", "/console")]
    [InlineData("/consoleevil", "/console")]
    [InlineData("/console/suspense?x=1", "/console/suspense?x=1")]
    public async Task the_language_switch_returns_only_to_a_console_page(string back, string location)
    {
        var result = await Console().GetAsync($"/console/language/en?back={Uri.EscapeDataString(back)}");
        result.Context.Response.StatusCode.ShouldBe(302);
        result.Context.Response.Headers.Location.ToString().ShouldBe(location);
    }

    [GeneratedRegex("""\bT\("((?:[^"\\]|\\.)*)"\)""")]
    private static partial Regex Word();

    [Fact]
    public void every_word_a_page_uses_has_its_spanish()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "../../../../../src/Ledger.Api/Features/OperationsConsole");
        var words = Directory.GetFiles(folder, "*.cs").SelectMany(f => Word().Matches(File.ReadAllText(f)))
            .Select(m => Regex.Unescape(m.Groups[1].Value)).Distinct().ToList();
        words.Count.ShouldBeGreaterThan(150);
        // The ledger's codes shown through T(): outcomes, statuses, relationships.
        words.AddRange(Enum.GetNames<LineOutcome>().Concat(Enum.GetNames<SuspenseStatus>()).Concat(Enum.GetNames<BankFileStatus>())
            .Concat(Enum.GetNames<RightsStatus>()).Concat(Enum.GetNames<Relationship>()));
        words.Where(w => !ConsoleText.Spanish.ContainsKey(w)).ShouldBeEmpty();
    }
}
