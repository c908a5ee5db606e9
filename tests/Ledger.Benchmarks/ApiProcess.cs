using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// The built API (<c>Ledger.Api.dll</c>) run as its own process on a free port, as in production: the
/// Production environment (no schema changes at startup, no development keys, Wolverine's balanced
/// durability), two configured API keys, Kestrel on 127.0.0.1.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    public const string ReaderKey = "bench-rights-reader-key";
    public const string FinanceKey = "bench-finance-key";

    private readonly Process _process;
    private readonly StreamWriter _log;

    public Uri BaseAddress { get; }
    public int Id => _process.Id;
    public TimeSpan ReadyAfter { get; private set; }
    /// <summary>When Kestrel first accepted a connection (its answer may still have been slow).</summary>
    public TimeSpan ListeningAfter { get; private set; }
    /// <summary>CPU time (user and system) the process had used when it first answered.</summary>
    public TimeSpan CpuAtReady { get; private set; }

    private ApiProcess(Process process, Uri baseAddress, StreamWriter log)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
    }

    /// <summary>Starts the API and waits for its first successful rights answer; <see cref="ReadyAfter"/> is that time.</summary>
    public static async Task<ApiProcess> StartAsync(string apiDll, string connection, string probeNumber, string logPath, HttpClient http)
    {
        var port = FreePort();
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var stopwatch = Stopwatch.StartNew();
        var process = Process.Start(StartInfo(apiDll, connection, port, []))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}/"), log);

        var url = api.RightsUrl(probeNumber);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API exited with code {process.ExitCode} before answering; see {logPath}.");
            if (stopwatch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The API did not answer within 2 minutes; see {logPath}.");
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add(ApiKeyAuthenticationHandler.Header, ReaderKey);
                var sent = stopwatch.Elapsed;
                using var response = await http.SendAsync(request);
                if (api.ListeningAfter == default) api.ListeningAfter = sent;
                if (response.StatusCode == HttpStatusCode.OK) break;
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    throw new InvalidOperationException($"The API answered {(int)response.StatusCode} to {url}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(10);
        }
        api.ReadyAfter = stopwatch.Elapsed;
        process.Refresh();
        api.CpuAtReady = process.TotalProcessorTime;
        return api;
    }

    /// <summary>Runs an admin command of the API's command line (e.g. <c>db-apply</c>) to completion.</summary>
    public static async Task RunCommandAsync(string apiDll, string connection, string logPath, params string[] args)
    {
        var process = Process.Start(StartInfo(apiDll, connection, FreePort(), args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await File.AppendAllTextAsync(logPath, await output + await error);
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{string.Join(' ', args)}' failed with code {process.ExitCode}; see {logPath}.");
    }

    public string RightsUrl(string number) => new Uri(BaseAddress, $"api/rights/{number}?on={Rights.On}").ToString();

    /// <summary>The process's resident memory now and at its peak (kB from /proc), in MiB.</summary>
    public (double Rss, double Peak) Memory() => (Status("VmRSS:"), Status("VmHWM:"));

    /// <summary>The resident set's parts: the process's own memory (heaps, stacks) and the mapped files' pages
    /// (the runtime's and the ledger's images), in MiB.</summary>
    public (double Anonymous, double Files) ResidentParts() => (Status("RssAnon:"), Status("RssFile:"));

    private double Status(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    private static ProcessStartInfo StartInfo(string apiDll, string connection, int port, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(apiDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["DOTNET_ENVIRONMENT"] = "Production";
        env["ConnectionStrings__Ledger"] = connection;
        env["Urls"] = $"http://127.0.0.1:{port}";
        env["Auth__ApiKeys__0__Name"] = "bench-reader";
        env["Auth__ApiKeys__0__Role"] = Roles.RightsReader;
        env["Auth__ApiKeys__0__Sha256"] = ApiKeyRegistry.HashOf(ReaderKey);
        env["Auth__ApiKeys__1__Name"] = "bench-finance";
        env["Auth__ApiKeys__1__Role"] = Roles.Finance;
        env["Auth__ApiKeys__1__Sha256"] = ApiKeyRegistry.HashOf(FinanceKey);
        // The hourly digest check would record the day's digest (a query over every stream) inside whichever
        // measurement crosses minute 15 on a fresh copy of the database; it runs on 29 February only here.
        env["Ledger__DigestCatchUpSchedule"] = "0 0 29 2 *";
        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>Stops the API as a service manager would (SIGTERM), so Wolverine releases its node; kills it if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            kill(_process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    /// <summary>
    /// The floor of a cold start: a .NET process (this program, in its probe mode) that opens a connection and
    /// answers one raw SELECT by primary key, timed from its start to its exit.
    /// </summary>
    public static async Task<TimeSpan> ProbeAsync(string connection, string number)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(ApiProcess).Assembly.Location);
        info.ArgumentList.Add("--probe");
        info.ArgumentList.Add(number);
        info.Environment["LEDGER_BENCH_CONNECTION"] = connection;
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = stopwatch.Elapsed;
        if (process.ExitCode != 0 || !output.Contains("found")) throw new InvalidOperationException($"The probe failed: {output}");
        return elapsed;
    }
}
