using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Salex.Projections;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// The floor of a rights lookup over HTTP on this machine: a minimal ASP.NET Core process (this program in its
/// floor mode) answering the same route shape, <c>GET /api/rights/{n}?on=</c>, with the JSON of the raw prepared
/// SELECT by primary key (Npgsql prepares it on each pooled connection). No authentication, no read model work:
/// what is left is Kestrel, the client and the database, which the ledger cannot go below.
/// </summary>
public sealed class HttpFloor : IAsyncDisposable
{
    private readonly Process _process;

    public Uri BaseAddress { get; }

    private HttpFloor(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public string RightsUrl(string number) => new Uri(BaseAddress, $"api/rights/{number}?on={Rights.On}").ToString();

    /// <summary>The floor's own process: serves until it is killed.</summary>
    public static async Task<int> ServeAsync(string connection, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        await using var db = new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(connection) { MaxAutoPrepare = 10, AutoPrepareMinUsages = 1 }.ConnectionString).Build();
        app.MapGet("/api/rights/{affiliationNumber}", async (string affiliationNumber, string? on, HttpContext http) =>
        {
            await using var cmd = db.CreateCommand($"select data from {LedgerStore.Schema}.mt_doc_account where id = $1");
            cmd.Parameters.Add(new NpgsqlParameter { Value = affiliationNumber, NpgsqlDbType = NpgsqlDbType.Varchar });
            return await cmd.ExecuteScalarAsync(http.RequestAborted) is string json
                ? Results.Text(json, "application/json")
                : Results.NotFound();
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>Starts the floor process and waits until it answers a known number.</summary>
    public static async Task<HttpFloor> StartAsync(string connection, string probeNumber, HttpClient http)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(HttpFloor).Assembly.Location);
        info.ArgumentList.Add("--floor");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.Environment["LEDGER_BENCH_CONNECTION"] = connection;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var floor = new HttpFloor(process, new Uri($"http://127.0.0.1:{port}/"));
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The HTTP floor exited with code {process.ExitCode}.");
            if (started.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException("The HTTP floor did not answer within a minute.");
            try
            {
                using var response = await http.GetAsync(floor.RightsUrl(probeNumber));
                if (response.StatusCode == HttpStatusCode.OK) return floor;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
