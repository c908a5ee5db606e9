using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.Settings;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Where the service listens is checked with the other settings: a port out of range failed when Kestrel bound it,
/// after the database's migrations, with exit 1, Kestrel's stack trace in the log and no setting named; a port that is
/// not a number (<c>http://127.0.0.1:abc</c>) listened on port 80 of every interface.
/// </summary>
public sealed class ListenUrlsTests
{
    private const string Urls = "urls (ASPNETCORE_URLS, or LEDGER_URLS for run.sh; --urls; Urls)";

    [Theory]
    [InlineData(
        "ASPNETCORE_URLS",
        "http://127.0.0.1:70000",
        $"{Urls}: 'http://127.0.0.1:70000' has the port '70000', not a number from 0 to 65535."
    )]
    [InlineData(
        "ASPNETCORE_URLS",
        "http://127.0.0.1:abc",
        $"{Urls}: 'http://127.0.0.1:abc' has the port 'abc', not a number from 0 to 65535."
    )]
    [InlineData(
        "--urls",
        "http://127.0.0.1:-1",
        $"{Urls}: 'http://127.0.0.1:-1' has the port '-1', not a number from 0 to 65535."
    )]
    [InlineData(
        "ASPNETCORE_HTTP_PORTS",
        "8080;70000",
        "http_ports (ASPNETCORE_HTTP_PORTS, DOTNET_HTTP_PORTS): '70000' is not a port, a number from 0 to 65535."
    )]
    [InlineData(
        "Kestrel__Endpoints__Http__Url",
        "http://127.0.0.1:70000",
        "Kestrel:Endpoints:Http:Url 'http://127.0.0.1:70000' has the port '70000', not a number from 0 to 65535."
    )]
    public async Task a_listening_url_that_cannot_be_used_exits_78_with_one_line_naming_it(
        string setting,
        string url,
        string named
    )
    {
        var (code, stderr, stdout) =
            setting == "--urls"
                ? await StartFailureProcessTests.RunWithOutputAsync(["--urls", url])
                : await StartFailureProcessTests.RunWithOutputAsync([], (setting, url));

        code.ShouldBe(StartFailure.SettingNotValid, stderr + stdout);
        stderr.Trim().ShouldBe("The ledger did not start: The configuration is not valid: " + named);
        (stderr + stdout).ShouldNotContain(" at ");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("https://localhost:5443/")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:80")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://[::]")]
    [InlineData("http://ledger.internal:8080")]
    [InlineData("HTTP://127.0.0.1:65535")]
    [InlineData("http://unix:/run/salex/ledger.sock")]
    public void a_listening_url_kestrel_can_use_passes(string url) => ListenUrls.Problem(url).ShouldBeNull();

    [Theory]
    [InlineData("http://127.0.0.1:70000", "has the port '70000'")]
    [InlineData("http://127.0.0.1:", "has the port ''")]
    [InlineData("http://127.0.0.1:8o8o", "has the port '8o8o'")]
    [InlineData("http://[::1]:99999", "has the port '99999'")]
    [InlineData("http://[::1", "is not an IPv6 address in brackets")]
    [InlineData("http://:5080", "names no host")]
    [InlineData("http://ledger host:5080", "has the host 'ledger host'")]
    [InlineData("tcp://127.0.0.1:5080", "has the scheme 'tcp'")]
    [InlineData("5080", "is not a URL")]
    [InlineData(" http://127.0.0.1:5080", "has blank space around it")]
    [InlineData("http://127.0.0.1:5080\t", "has blank space around it")]
    [InlineData("http://ledger.internal:8080/base", "has the path '/base'")]
    [InlineData("http://localhost:0", "any free port on localhost")]
    public void a_listening_url_kestrel_cannot_use_is_named(string url, string problem) =>
        ListenUrls.Problem(url).ShouldNotBeNull().ShouldContain(problem);

    [Fact]
    public void the_default_applies_only_when_no_setting_says_where_to_listen()
    {
        ListenUrls.NoneGiven(With()).ShouldBeTrue();
        ListenUrls.NoneGiven(With(("urls", ""))).ShouldBeTrue();
        ListenUrls.NoneGiven(With(("urls", "http://127.0.0.1:6000"))).ShouldBeFalse();
        ListenUrls.NoneGiven(With(("http_ports", "8080"))).ShouldBeFalse();
        ListenUrls.NoneGiven(With(("https_ports", "8443"))).ShouldBeFalse();
        ListenUrls.NoneGiven(With(("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:6000"))).ShouldBeFalse();
    }

    /// <summary>
    /// The official .NET container images say where to listen with <c>ASPNETCORE_HTTP_PORTS=8080</c>: the service
    /// listens there. The default address overrode it without a word (127.0.0.1:5080, unreachable from outside the
    /// container).
    /// </summary>
    [Fact]
    public Task the_container_images_port_setting_is_where_the_service_listens() =>
        TestDatabases.WithFreshAsync(
            "http_ports",
            async database =>
            {
                var port = Console.ConsoleProcess.FreePort();
                var start = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = AppContext.BaseDirectory,
                };
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"));
                start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
                start.Environment["DOTNET_ENVIRONMENT"] = "Development";
                start.Environment["ConnectionStrings__Ledger"] = database;
                start.Environment["ASPNETCORE_URLS"] = "";
                start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
                using var process = Process.Start(start)!;
                var output = new StringBuilder();
                process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
                process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                try
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                    var deadline = DateTime.UtcNow.AddSeconds(90);
                    HttpStatusCode? status = null;
                    while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && !process.HasExited)
                    {
                        try
                        {
                            status = (await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(500);
                        }
                    }
                    string log;
                    lock (output) log = output.ToString();
                    status.ShouldBe(HttpStatusCode.OK, log);
                }
                finally
                {
                    if (!process.HasExited)
                        process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        );

    /// <summary>What the check passed and Kestrel refused only when it bound, after the database's migrations, exit 1
    /// naming no setting (a second engineer's attack): https without a certificate, an endpoint without a URL; and a
    /// setting of separators alone, which listened on localhost:5000 without a word.</summary>
    [Fact]
    public void what_kestrel_would_refuse_after_the_migrations_is_named_before_anything_starts()
    {
        ListenUrls.Problems(With(("urls", "https://127.0.0.1:5443"))).Single().ShouldContain("is https and needs a certificate");
        ListenUrls.Problems(With(("https_ports", "5443"))).Single().ShouldContain("https needs a certificate");
        ListenUrls
            .Problems(With(("Kestrel:Endpoints:Tls:Url", "https://127.0.0.1:5443")))
            .Single()
            .ShouldContain("Kestrel:Endpoints:Tls:Url 'https://127.0.0.1:5443' is https and needs a certificate");
        ListenUrls
            .Problems(With(("urls", "https://127.0.0.1:5443"), ("Kestrel:Certificates:Default:Path", "/etc/salex/tls.pfx")))
            .ShouldBeEmpty();
        ListenUrls
            .Problems(With(("Kestrel:Endpoints:Tls:Url", "https://127.0.0.1:5443"), ("Kestrel:Endpoints:Tls:Certificate:Path", "/etc/salex/tls.pfx")))
            .ShouldBeEmpty();
        ListenUrls.Problems(With(("Kestrel:Endpoints:Web:Protocols", "Http1"))).Single().ShouldBe("Kestrel:Endpoints:Web has no Url.");
        ListenUrls.Problems(With(("urls", "http://127.0.0.1:5080; http://127.0.0.1:5081"))).Single().ShouldContain("has blank space around it");
        ListenUrls.NoneGiven(With(("urls", ";"))).ShouldBeTrue();
        ListenUrls.NoneGiven(With(("http_ports", " ; "))).ShouldBeTrue();
    }

    private static IConfiguration With(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
