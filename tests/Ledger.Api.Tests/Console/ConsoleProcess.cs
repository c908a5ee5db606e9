using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Salex.Ledger.Api.Tests.Console;

/// <summary>
/// The built API as its own process on a real loopback port, for a real browser (Alba's host is in memory): the
/// Development environment (its keys, schema created at start) on a database of its own, <c>salex_test_console</c>
/// beside <c>salex_test</c>, made anew for each run, so it shares nothing with the other tests running beside it.
/// </summary>
public sealed class ConsoleProcess : IAsyncDisposable
{
    /// <summary>A configured key whose name is not the key (the development keys are their own names), so a test
    /// can tell the key from who it is.</summary>
    public const string FinanceKey = "console-test-finance-7f3a9c2e5b1d";
    public const string FinanceName = "finance-office";
    public const string FinanceStamp = $"{FinanceName} (finance)";

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _folder;

    public Uri BaseAddress { get; }
    public string LogPath { get; }

    private ConsoleProcess(Process process, Uri baseAddress, StreamWriter log, string logPath, string folder)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
        LogPath = logPath;
        _folder = folder;
    }

    public static async Task<ConsoleProcess> StartAsync(string artifacts)
    {
        await TestDatabases.RecreateAsync("console");
        var connection = TestDatabases.Of("console").ConnectionString;

        var port = FreePort();
        var folder = Path.Combine(Path.GetTempPath(), $"salex-console-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"));
        start.Environment["ConnectionStrings__Ledger"] = connection;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Auth__ApiKeys__0__name"] = FinanceName;
        start.Environment["Auth__ApiKeys__0__role"] = "finance";
        start.Environment["Auth__ApiKeys__0__sha256"] = Salex.Ledger.Api.Infrastructure.ApiKeyRegistry.HashOf(FinanceKey);
        start.Environment["Ledger__DigestArchive"] = Path.Combine(folder, "digests");
        var logPath = Path.Combine(artifacts, "api.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ConsoleProcess(process, new Uri($"http://127.0.0.1:{port}/"), log, logPath, folder);

        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The API exited with code {process.ExitCode} before answering; see {logPath}.");
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"The API did not answer /health within 2 minutes; see {logPath}.");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        return api;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
