using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using OpenQA.Selenium;
using Salex.Ledger.Calendar;
using Shouldly;

namespace Salex.Ledger.Api.Tests.Console;

/// <summary>The API process and the browser, once for the browser tests (a few minutes at most).</summary>
public sealed class ConsoleBrowserFixture : IAsyncLifetime
{
    public static readonly string Artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../artifacts/console"));

    public ConsoleProcess Api { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artifacts);
        Api = await ConsoleProcess.StartAsync(Artifacts);
        Http = new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Browser = new Browser(Artifacts);
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        Http?.Dispose();
        if (Api is not null) await Api.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ConsoleBrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// The console in a real headless Chromium against the real API process: a finance morning (sign in, import a file,
/// check it and the bank-day, clear suspense with its preview), an auditor's replay (the timeline with who recorded
/// the payment, "as known at", the hash chain), the programme page, and the refusals (a wrong key, a form without its
/// antiforgery token, a role without rights). Each step leaves a screenshot under artifacts/console/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleBrowserFixture fixture)
{
    private Browser Browser => fixture.Browser;
    private IWebDriver Chrome => fixture.Browser.Chrome;
    private string Url(string path) => new Uri(fixture.Api.BaseAddress, path).ToString();

    private static LocalDate Today => ElSalvador.Today(SystemClock.Instance);

    private void SignIn(string key)
    {
        Chrome.Navigate().GoToUrl(Url("/console/sign-in"));
        Chrome.Manage().Cookies.DeleteAllCookies();
        Chrome.Navigate().GoToUrl(Url("/console/sign-in"));
        Chrome.FindElement(By.Id("apiKey")).SendKeys(key);
        Chrome.FindElement(By.CssSelector("form button[type=submit]")).Click();
        Browser.WaitFor(() => Chrome.FindElements(By.CssSelector("form.signout, .problem")).Count > 0, "the signed-in page or a refusal");
    }

    private async Task<string> EnrolAsync(string fullName, LocalDate enrolledOn)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/insured")
        {
            Content = JsonContent.Create(new
            {
                dui = Scenarios.NewDui(), fullName, birthDate = "1985-06-02", countryOfResidence = "US",
                enrolledOn = Dates.Format(enrolledOn),
                eligibilityChecks = new { identityVerified = true, residesAbroad = true, notInsuredElsewhere = true },
            }),
        };
        request.Headers.Add("X-Api-Key", Keys.Enrolment);
        using var response = await fixture.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("affiliationNumber").GetString()!;
    }

    private async Task<JsonElement> GetAsync(string url, string key = Keys.Admin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        using var response = await fixture.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(ConsoleBrowserFixture.Artifacts, name);
        File.WriteAllText(path, text);
        return path;
    }

    private void NoScriptRan()
    {
        // An injected <script> would have opened an alert (and a page with one open answers no other command).
        Should.Throw<NoAlertPresentException>(() => Chrome.SwitchTo().Alert());
        ((bool)((IJavaScriptExecutor)Chrome).ExecuteScript("return window.__injected === true;")).ShouldBeFalse();
    }

    [Fact]
    public async Task a_morning_of_finance_work_and_an_auditors_replay_through_the_console()
    {
        var number = await EnrolAsync("Ana María López", Today.PlusDays(-70));
        var day = Dates.Format(Today.PlusDays(-1));
        var reference = $"CON-{Guid.NewGuid():N}"[..16];
        var csv = string.Join("\n",
            BankFiles.Header,
            $"AGRICOLA,{reference}-1,{day}T09:00:00-06:00,{number},68.04,ONLINE",
            $"AGRICOLA,{reference}-2,{day}T10:00:00-06:00,<script>window.__injected=true;alert(1)</script>,136.08,ONLINE",
            $"AGRICOLA,{reference}-3,{day}T11:00:00-06:00,12\u00003,10.00,ONLINE") + "\n";
        var file = WriteFile("morning.csv", csv);

        // Finance signs in; the session cookie is the console's, HttpOnly, Secure and SameSite=Strict, and the key is
        // nowhere in the page.
        SignIn(ConsoleProcess.FinanceKey);
        var session = Chrome.Manage().Cookies.GetCookieNamed("salex-console");
        session.ShouldNotBeNull();
        session.IsHttpOnly.ShouldBeTrue();
        session.Secure.ShouldBeTrue();
        session.SameSite.ShouldBe("Strict");
        Chrome.PageSource.ShouldNotContain(ConsoleProcess.FinanceKey);
        Chrome.Url.ShouldNotContain(ConsoleProcess.FinanceKey);
        Chrome.Manage().Cookies.AllCookies.ShouldAllBe(c => !c.Value.Contains(ConsoleProcess.FinanceKey));
        Chrome.FindElement(By.CssSelector("form.signout .who")).Text.ShouldBe($"{ConsoleProcess.FinanceName} (finance)");
        Chrome.FindElement(By.CssSelector("html")).GetAttribute("lang").ShouldBe("es");
        Browser.Screenshot("01-home");

        // Import the day's file with the upload form (progress bar, then the file's page).
        Chrome.Navigate().GoToUrl(Url("/console/bank-files"));
        Chrome.FindElement(By.Id("file")).SendKeys(file);
        Chrome.FindElement(By.CssSelector("#upload button[type=submit]")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains("/console/bank-files/BF-"), "the imported file's page");
        var fileId = Chrome.Url[(Chrome.Url.LastIndexOf('/') + 1)..];
        Chrome.FindElements(By.CssSelector("table.lines tbody tr")).Count.ShouldBe(3);
        Chrome.FindElement(By.CssSelector(".invariant")).Text.ShouldContain("✓");
        NoScriptRan();
        Browser.Screenshot("02-bank-file");
        var summary = await GetAsync($"/api/bank-files/{fileId}", Keys.Finance);
        summary.GetProperty("summary").GetProperty("received").GetDecimal().ShouldBe(68.04m + 136.08m);

        // Its lines filtered by outcome: the unknown payer only, its text shown as text.
        Chrome.FindElement(By.CssSelector("a[href$='outcome=UnknownPayer']")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains("outcome=UnknownPayer"), "the lines filtered by outcome");
        var rows = Chrome.FindElements(By.CssSelector("table.lines tbody tr"));
        rows.Count.ShouldBe(1);
        rows[0].Text.ShouldContain("<script>window.__injected=true;alert(1)</script>");
        NoScriptRan();
        Browser.Screenshot("03-bank-file-unknown-payers");

        // The bank-day: one row for AGRICOLA that day, balanced, and its two transactions.
        Chrome.Navigate().GoToUrl(Url($"/console/reconciliation?from={day}&to={day}&bank=AGRICOLA"));
        Chrome.FindElements(By.CssSelector("main table:not(.totals) tbody tr")).Count.ShouldBe(1);
        Chrome.FindElement(By.CssSelector("table.totals tbody tr")).Text.ShouldContain("204.12");
        Browser.Screenshot("04-reconciliation");
        Chrome.FindElement(By.CssSelector($"a[href='/console/reconciliation/AGRICOLA/{day}']")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains($"/console/reconciliation/AGRICOLA/{day}"), "the bank-day's page");
        Chrome.FindElements(By.CssSelector("main table tbody tr")).Count.ShouldBe(2);
        Browser.Screenshot("05-reconciliation-day");

        // Suspense: the open item with the bank's text, assigned to Ana after a preview.
        Chrome.Navigate().GoToUrl(Url("/console/suspense"));
        Chrome.FindElement(By.CssSelector("main table")).Text.ShouldContain("<script>window.__injected=true;alert(1)</script>");
        NoScriptRan();
        Browser.Screenshot("06-suspense");
        Chrome.FindElement(By.CssSelector($"a[href^='/console/suspense/{fileId}-']")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains($"/console/suspense/{fileId}-"), "the suspense item's page");
        var itemId = Chrome.Url.Split('?')[0][(Chrome.Url.LastIndexOf('/') + 1)..];
        var eventsBefore = (await GetAsync($"/api/insured/{number}/history", Keys.Auditor)).GetProperty("totalEvents").GetInt32();
        Chrome.FindElement(By.CssSelector("input[name=q]")).SendKeys("maría lóp");
        Chrome.FindElement(By.CssSelector("input[name=q]")).Submit();
        Browser.Find($"a.button[href$='to={number}']").Click();
        var preview = Browser.Find("#preview");
        var previewed = preview.FindElements(By.CssSelector("dd")).Select(d => d.Text).ToList();
        Browser.Screenshot("07-suspense-preview");
        // Nothing recorded by the preview.
        (await GetAsync($"/api/insured/{number}/history", Keys.Auditor)).GetProperty("totalEvents").GetInt32().ShouldBe(eventsBefore);
        var beforeAssignment = SystemClock.Instance.GetCurrentInstant();
        await Task.Delay(1100);
        preview.FindElement(By.CssSelector("form button[type=submit]")).Click();
        var done = Browser.Find(".done");
        done.Text.ShouldContain(number);
        // What was recorded is what the preview said: the same contributions, surcharges, credit and refund.
        var recorded = done.FindElements(By.CssSelector("dd")).Select(d => d.Text).ToList();
        recorded.ShouldBe(previewed.Skip(1).Take(4).ToList());
        Browser.Screenshot("08-suspense-assigned");
        (await GetAsync("/api/suspense", Keys.Finance)).EnumerateArray().ShouldNotContain(s => s.GetProperty("id").GetString() == itemId);
        (await GetAsync("/api/suspense?status=Assigned", Keys.Finance)).EnumerateArray()
            .Single(s => s.GetProperty("id").GetString() == itemId).GetProperty("assignedTo").GetString().ShouldBe(number);

        // The auditor replays the account: the payment in the timeline, with who recorded it.
        Chrome.FindElement(By.CssSelector("form.signout button")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains("/console/sign-in"), "the sign-in page after signing out");
        SignIn(Keys.Auditor);
        Chrome.Navigate().GoToUrl(Url($"/console/accounts/{number}"));
        var timeline = Chrome.FindElements(By.CssSelector("#history ol.timeline li"));
        var history = await GetAsync($"/api/insured/{number}/history", Keys.Auditor);
        timeline.Count.ShouldBe(history.GetProperty("totalEvents").GetInt32());
        var byFinance = timeline.Where(li => li.Text.Contains(ConsoleProcess.FinanceStamp)).ToList();
        byFinance.Count.ShouldBe(history.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("metadata").GetProperty("recordedBy").GetString() == ConsoleProcess.FinanceStamp));
        byFinance.ShouldNotBeEmpty();
        Chrome.FindElement(By.CssSelector("#chain .ok")).Text.ShouldContain("✓");
        Browser.Screenshot("09-account");

        // As known just before the assignment: the assignment's events are marked as not yet known, the rest known.
        var asOf = Chrome.FindElement(By.CssSelector("input[name=asOf]"));
        asOf.SendKeys(beforeAssignment.ToString());
        asOf.Submit();
        Browser.Find(".asof").Text.ShouldNotBeEmpty(); // waited for: the form's answer is a new page
        var later = Chrome.FindElements(By.CssSelector("#history li.later"));
        later.ShouldNotBeEmpty();
        later.ShouldAllBe(li => li.Text.Contains(ConsoleProcess.FinanceStamp));
        Chrome.FindElements(By.CssSelector("#history li.known")).ShouldNotBeEmpty();
        var stateThen = await GetAsync($"/api/insured/{number}/state?asOf={Uri.EscapeDataString(beforeAssignment.ToString())}", Keys.Auditor);
        Chrome.FindElement(By.Id("summary")).Text.ShouldContain(stateThen.GetProperty("account").GetProperty("paidThrough").GetString() ?? "—");
        Browser.Screenshot("10-account-as-known-at");

        // The programme page, for management.
        Chrome.Navigate().GoToUrl(Url("/console/programme"));
        var charts = Chrome.FindElements(By.CssSelector(".charts figure img"));
        charts.Count.ShouldBe(4);
        Browser.WaitFor(() => charts.All(img => Convert.ToInt64(((IJavaScriptExecutor)Chrome).ExecuteScript(
            "return arguments[0].complete ? arguments[0].naturalWidth : 0;", img)) > 0), "the four charts drawn");
        var indicators = await GetAsync("/api/indicators", Keys.Auditor);
        var totals = indicators.GetProperty("totals");
        var shown = Chrome.FindElement(By.Id("totals")).Text;
        shown.ShouldContain(indicators.GetProperty("from").GetString()!);
        Chrome.FindElements(By.CssSelector("#months tbody tr")).Count.ShouldBe(indicators.GetProperty("months").GetArrayLength());
        totals.GetProperty("enrolled").GetInt32().ShouldBeGreaterThan(0);
        Browser.Screenshot("11-programme");

        // The language switch: English, then back to Spanish.
        Chrome.FindElement(By.CssSelector("a.lang")).Click();
        Browser.WaitFor(() => Chrome.FindElement(By.CssSelector("html")).GetAttribute("lang") == "en", "the page in English");
        Chrome.FindElement(By.CssSelector("header nav")).Text.ShouldContain("Bank files");
        Browser.Screenshot("12-english");
        Chrome.FindElement(By.CssSelector("a.lang")).Click();
        Browser.WaitFor(() => Chrome.FindElement(By.CssSelector("html")).GetAttribute("lang") == "es", "the page in Spanish");

        // The key was never written to the service's log either.
        using var log = new StreamReader(new FileStream(fixture.Api.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        (await log.ReadToEndAsync()).ShouldNotContain(ConsoleProcess.FinanceKey);
    }

    [Fact]
    public void a_wrong_key_is_refused_and_opens_no_session()
    {
        SignIn("dev-nobody");
        Chrome.FindElement(By.CssSelector(".problem")).Text.ShouldNotBeEmpty();
        Chrome.Manage().Cookies.GetCookieNamed("salex-console").ShouldBeNull();
        Chrome.PageSource.ShouldNotContain("dev-nobody");
        Browser.Screenshot("00-sign-in-refused");
        Chrome.Navigate().GoToUrl(Url("/console/suspense"));
        Chrome.Url.ShouldContain("/console/sign-in");
    }

    [Fact]
    public async Task a_form_posted_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        var day = Dates.Format(Today.PlusDays(-2));
        var reference = $"CSRF-{Guid.NewGuid():N}"[..16];
        var file = WriteFile("unknown-payer.csv", $"{BankFiles.Header}\nAGRICOLA,{reference},{day}T09:00:00-06:00,999999999,30.00,ONLINE\n");
        SignIn(Keys.Finance);
        Chrome.Navigate().GoToUrl(Url("/console/bank-files"));
        Chrome.FindElement(By.Id("file")).SendKeys(file);
        Chrome.FindElement(By.CssSelector("#upload button[type=submit]")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains("/console/bank-files/BF-"), "the imported file's page");
        var fileId = Chrome.Url[(Chrome.Url.LastIndexOf('/') + 1)..];

        Chrome.Navigate().GoToUrl(Url("/console/suspense"));
        Chrome.FindElement(By.CssSelector($"a[href^='/console/suspense/{fileId}-']")).Click();
        Browser.WaitFor(() => Chrome.Url.Contains($"/console/suspense/{fileId}-"), "the suspense item's page");
        var item = Chrome.Url;
        var id = item[(item.LastIndexOf('/') + 1)..];
        // A forged form: the same fields, without the token.
        ((IJavaScriptExecutor)Chrome).ExecuteScript(
            "document.querySelectorAll('form[action$=\"/refund\"] input[name=__RequestVerificationToken]').forEach(e => e.remove());");
        Chrome.FindElement(By.Id("reason")).SendKeys("forged");
        Chrome.FindElement(By.CssSelector("form[action$='/refund'] button")).Click();
        Browser.Find(".problem").Text.ShouldNotBeEmpty();
        Browser.Screenshot("13-form-without-token-refused");
        var open = await GetAsync("/api/suspense", Keys.Finance);
        open.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id).GetProperty("status").GetString().ShouldBe("Open");

        // The same form with its token is accepted.
        Chrome.Navigate().GoToUrl(item);
        Chrome.FindElement(By.Id("reason")).SendKeys("Not insured: paid back");
        Chrome.FindElement(By.CssSelector("form[action$='/refund'] button")).Click();
        Browser.Find(".done").Text.ShouldContain("30.00");
        (await GetAsync("/api/suspense?status=Refunded", Keys.Finance)).EnumerateArray()
            .Single(s => s.GetProperty("id").GetString() == id).GetProperty("refundReason").GetString().ShouldBe("Not insured: paid back");
    }

    [Fact]
    public void a_role_without_rights_sees_a_page_saying_so()
    {
        SignIn(Keys.RightsReader);
        Chrome.Navigate().GoToUrl(Url("/console/bank-files"));
        Chrome.FindElement(By.CssSelector(".problem")).Text.ShouldContain("rights-reader");
        Chrome.FindElements(By.CssSelector("#upload")).ShouldBeEmpty();
        Browser.Screenshot("14-forbidden");
    }
}
