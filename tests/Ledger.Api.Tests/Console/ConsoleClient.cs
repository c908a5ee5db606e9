using System.Net;
using System.Text.RegularExpressions;
using Alba;

namespace Salex.Ledger.Api.Tests.Console;

/// <summary>
/// A browser's part for the in-memory host: keeps the cookies the console sets and sends them back, and reads the
/// antiforgery token of the page it got, so that the console's pages and forms can be tested without Chromium.
/// </summary>
public sealed partial class ConsoleClient(IAlbaHost host)
{
    public Dictionary<string, string> Cookies { get; } = new();
    public List<string> SetCookieHeaders { get; } = new();
    public string LastHtml { get; private set; } = "";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public string Token => TokenField().Match(LastHtml) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    public async Task<IScenarioResult> GetAsync(string url, string? apiKey = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(url);
            SendCookies(s);
            if (apiKey is not null) s.WithRequestHeader("X-Api-Key", apiKey);
            s.IgnoreStatusCode();
        });
        return Keep(result);
    }

    public async Task<IScenarioResult> PostAsync(string url, Dictionary<string, string> form, bool withToken = true)
    {
        var fields = new Dictionary<string, string>(form);
        if (withToken) fields["__RequestVerificationToken"] = Token;
        var result = await host.Scenario(s =>
        {
            s.Post.FormData(fields).ToUrl(url);
            SendCookies(s);
            s.IgnoreStatusCode();
        });
        return Keep(result);
    }

    /// <summary>A body of any type and text, with the page's token as the upload script sends it (a header), or
    /// none.</summary>
    public async Task<IScenarioResult> PostRawAsync(string url, string contentType, string body, bool withToken = true)
    {
        var token = Token;
        var result = await host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl(url);
            s.WithRequestHeader("Content-Type", contentType);
            if (withToken) s.WithRequestHeader("X-CSRF-TOKEN", token);
            SendCookies(s);
            s.IgnoreStatusCode();
        });
        return Keep(result);
    }

    public async Task SignInAsync(string key)
    {
        await GetAsync("/console/sign-in");
        var result = await PostAsync("/console/sign-in", new() { ["apiKey"] = key, ["returnUrl"] = "/console" });
        if (result.Context.Response.StatusCode != 302)
            throw new InvalidOperationException($"Sign-in answered {result.Context.Response.StatusCode}: {LastHtml}");
    }

    private void SendCookies(Scenario s)
    {
        if (Cookies.Count > 0)
            s.WithRequestHeader("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
    }

    private IScenarioResult Keep(IScenarioResult result)
    {
        foreach (var header in result.Context.Response.Headers.SetCookie)
        {
            if (header is null) continue;
            SetCookieHeaders.Add(header);
            var pair = header.Split(';')[0];
            var eq = pair.IndexOf('=');
            var (name, value) = (pair[..eq], pair[(eq + 1)..]);
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                Cookies.Remove(name);
            else
                Cookies[name] = value;
        }
        LastHtml = result.ReadAsText();
        return result;
    }
}
