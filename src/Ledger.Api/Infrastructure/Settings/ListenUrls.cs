using System.Globalization;
using System.Net;

namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// Where the service listens, checked with the other settings before anything starts: <c>urls</c>
/// (<c>ASPNETCORE_URLS</c>, which <c>run.sh</c> sets from <c>LEDGER_URLS</c>; <c>--urls</c>; <c>Urls</c>), and Kestrel's
/// own endpoints (<c>Kestrel:Endpoints:{name}:Url</c>). A port out of range (<c>http://127.0.0.1:70000</c>) failed only
/// when Kestrel bound it, after the database's migrations, with exit 1 and a message that named no setting; a port that
/// is not a number (<c>http://127.0.0.1:abc</c>) was read by Kestrel as part of a host name it could not resolve, and
/// the service listened on port 80 of every interface.
/// </summary>
public static class ListenUrls
{
    /// <summary>Where the service listens when no setting says (README, Configuration): this machine only.</summary>
    public const string Default = "http://127.0.0.1:5080";

    private const string UrlsSetting = "urls (ASPNETCORE_URLS, or LEDGER_URLS for run.sh; --urls; Urls)";

    /// <summary>The ports-only settings of ASP.NET Core (every interface), which the official .NET container images set
    /// (<c>ASPNETCORE_HTTP_PORTS=8080</c>).</summary>
    private static readonly (string Key, string Named)[] PortSettings =
    [
        ("http_ports", "http_ports (ASPNETCORE_HTTP_PORTS, DOTNET_HTTP_PORTS)"),
        ("https_ports", "https_ports (ASPNETCORE_HTTPS_PORTS, DOTNET_HTTPS_PORTS)"),
    ];

    /// <summary>
    /// Whether no setting says where to listen, so that <see cref="Default"/> applies. Any of them counts: the URLs, the
    /// ports-only settings (which the default used to override without a word, so a container built on the official
    /// image listened on 127.0.0.1:5080 instead of its 8080) and Kestrel's own endpoints (which override the default
    /// anyway, with a warning).
    /// </summary>
    public static bool NoneGiven(IConfiguration configuration) =>
        Entries(configuration["urls"]).Length == 0
        && PortSettings.All(p => Entries(configuration[p.Key]).Length == 0)
        && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    /// <summary>A list setting's entries: a value of separators alone (<c>;</c>) has none, and then the default applies
    /// (ASP.NET Core listened on localhost:5000 for it, without a word).</summary>
    private static string[] Entries(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every URL or port that cannot be listened on, naming its setting; nothing when all can.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        var certificate = HasCertificate(configuration);
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (Problem(url, certificate) is { } problem)
                yield return $"{UrlsSetting}: '{url}' {problem}.";
        foreach (var (key, named) in PortSettings)
        foreach (var port in Entries(configuration[key]))
            if (!IsPort(port))
                yield return $"{named}: '{port}' is not a port, a number from 0 to 65535.";
        if (Entries(configuration["https_ports"]).Length > 0 && !certificate)
            yield return $"{PortSettings[1].Named}: https {NoCertificate}.";
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is not { Length: > 0 } url)
                yield return $"Kestrel:Endpoints:{endpoint.Key} has no Url.";
            else if (Problem(url, certificate || endpoint.GetSection("Certificate").GetChildren().Any()) is { } problem)
                yield return $"Kestrel:Endpoints:{endpoint.Key}:Url '{url}' {problem}.";
    }

    private const string NoCertificate =
        "needs a certificate (Kestrel:Certificates:Default:Path, or the endpoint's Certificate); TLS is usually the "
        + "balancer's, in front of http";

    /// <summary>Whether Kestrel has a default certificate for https. Without one, an https address failed only when
    /// Kestrel bound it, after the database's migrations, naming no setting (ASP.NET Core's development certificate is
    /// not installed where the ledger runs).</summary>
    private static bool HasCertificate(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Certificates:Default").GetChildren().Any();

    /// <summary>As <see cref="Problem(string)"/>, also refusing https without a certificate.</summary>
    private static string? Problem(string url, bool certificate) =>
        Problem(url)
        ?? (
            url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !certificate
                ? $"is https and {NoCertificate}"
                : null
        );

    /// <summary>Why Kestrel cannot listen on this URL as meant, or null: a scheme other than http or https, no host, a
    /// host that is not one, a port that is not a number from 0 to 65535. Unix sockets and named pipes
    /// (<c>http://unix:/path</c>, <c>http://pipe:/name</c>) are Kestrel's to check.</summary>
    public static string? Problem(string url)
    {
        // Kestrel takes the text as it is: ' http://…' failed after the migrations ("Unrecognized scheme").
        if (url.Length > 0 && (char.IsWhiteSpace(url[0]) || char.IsWhiteSpace(url[^1])))
            return "has blank space around it";
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
            return "is not a URL (e.g. http://127.0.0.1:5080)";
        var scheme = url[..schemeEnd];
        if (
            !scheme.Equals("http", StringComparison.OrdinalIgnoreCase)
            && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
        )
            return $"has the scheme '{scheme}' (http or https)";
        var rest = url[(schemeEnd + 3)..];
        if (
            rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase)
        )
            return null;
        var authority = rest.Split('/')[0];
        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0 || close + 1 < authority.Length && authority[close + 1] != ':')
                return "has a host that is not an IPv6 address in brackets";
            host = authority[1..close];
            if (close + 1 < authority.Length)
                port = authority[(close + 2)..];
            if (!IPAddress.TryParse(host, out _))
                return $"has the host '[{host}]', not an IPv6 address";
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            if (colon >= 0)
                port = authority[(colon + 1)..];
            if (host.Length == 0)
                return "names no host";
            if (
                host is not ("*" or "+")
                && !IPAddress.TryParse(host, out _)
                && Uri.CheckHostName(host) != UriHostNameType.Dns
            )
                return $"has the host '{host}', which is not a host name or an IP address";
        }
        if (port is not null && !IsPort(port))
            return $"has the port '{port}', not a number from 0 to 65535";
        // Both failed only when Kestrel bound them, after the migrations.
        if (rest.IndexOf('/') is var slash and >= 0 && rest[slash..].TrimEnd('/').Length > 0)
            return $"has the path '{rest[slash..]}' (Kestrel listens on an address; a path base is not one)";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && port == "0")
            return "asks for any free port on localhost, which Kestrel does not do (use 127.0.0.1:0)";
        return null;
    }

    private static bool IsPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535;
}
