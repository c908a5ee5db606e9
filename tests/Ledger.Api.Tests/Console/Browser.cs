using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Salex.Ledger.Api.Tests.Console;

/// <summary>
/// Debian's headless Chromium driven by its matching chromedriver (installed by tests/browser.sh, which test.sh runs).
/// Missing, they fail the tests with what to install: a browser test never skips silently.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"salex-chromium-{Guid.NewGuid():N}");
    public ChromeDriver Chrome { get; }
    public string Artifacts { get; }

    public Browser(string artifacts)
    {
        Artifacts = artifacts;
        if (!File.Exists(Chromium) || !File.Exists(Driver))
            throw new InvalidOperationException(
                $"The console's browser tests need Debian's chromium and chromium-driver ({Chromium}, {Driver}): run tests/browser.sh as root, or 'apt-get install chromium chromium-driver'."
            );
        Directory.CreateDirectory(_profile);
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // Without the background-networking flags Chromium's own connections are refused here and it stalls.
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1800", "--lang=es", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Chrome = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Chrome.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    /// <summary>The page as it is now, under artifacts/console/NAME.png, with its HTML beside it.</summary>
    public void Screenshot(string name)
    {
        // The whole page, not only the window: the window grows to the document's height for the shot.
        var height = Convert.ToInt32(Chrome.ExecuteScript("return Math.max(document.body.scrollHeight, 600);"));
        Chrome.Manage().Window.Size = new System.Drawing.Size(1400, Math.Min(height + 40, 6000));
        ((ITakesScreenshot)Chrome).GetScreenshot().SaveAsFile(Path.Combine(Artifacts, $"{name}.png"));
        File.WriteAllText(Path.Combine(Artifacts, $"{name}.html"), Chrome.PageSource);
        Chrome.Manage().Window.Size = new System.Drawing.Size(1400, 1800);
    }

    /// <summary>Waits, within a bound, for what a page must come to show; fails naming it and keeping the page.</summary>
    public void WaitFor(Func<bool> condition, string what, int seconds = 60)
    {
        var waited = Stopwatch.StartNew();
        while (!Holds(condition))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                Screenshot("failed-wait");
                throw new TimeoutException($"The page never showed {what}; at {Chrome.Url}. See artifacts/console/failed-wait.png.");
            }
            Thread.Sleep(100);
        }
    }

    // Mid-navigation the old page's elements go stale or vanish: that is "not yet", not a failure.
    private static bool Holds(Func<bool> condition)
    {
        try { return condition(); }
        catch (StaleElementReferenceException) { return false; }
        catch (NoSuchElementException) { return false; }
    }

    /// <summary>The first element matching CSS once the page shows one: a click that submits a form or follows a
    /// link returns before the next page is always there, so what it must show is waited for, never assumed.</summary>
    public IWebElement Find(string css, int seconds = 60)
    {
        IWebElement? found = null;
        WaitFor(() => (found = Chrome.FindElements(By.CssSelector(css)).FirstOrDefault()) is not null, $"an element '{css}'", seconds);
        return found!;
    }

    public void Dispose()
    {
        Chrome.Quit();
        Chrome.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
