using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Salex.Ledger.Api.Features.Webhooks;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A real HTTP subscriber: a Kestrel host of its own on a loopback port, which can be down (nothing listening: the
/// connection is refused) and up again on the same port. It keeps every delivery it took, with whether its
/// signature verified with the secret.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "a-subscriber-secret-0123456789";

    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/hooks/salex";
    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    /// <summary>Answers 200 at once, then holds the answer's body open until the ledger hangs up (or the receiver
    /// stops), as a subscriber behind a slow proxy or streaming its answer may.</summary>
    public bool HoldsBodyOpen { get; init; }
    private WebApplication? _app;

    public sealed record Delivery(
        string? MessageId,
        string? Timestamp,
        string Body,
        bool SignatureValid,
        string? BodyId,
        string? Attempt
    );

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost(
            "/hooks/salex",
            async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var body = buffer.ToArray();
                var timestamp = context.Request.Headers[WebhookSignature.TimestampHeader].ToString();
                var signature = context.Request.Headers[WebhookSignature.SignatureHeader].ToString();
                var text = System.Text.Encoding.UTF8.GetString(body);
                string? bodyId = null;
                try
                {
                    bodyId = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
                }
                catch (Exception) { }
                Deliveries.Enqueue(
                    new Delivery(
                        context.Request.Headers[WebhookSignature.MessageIdHeader].ToString(),
                        timestamp,
                        text,
                        WebhookSignature.Verify(Secret, timestamp, body, signature),
                        bodyId,
                        context.Request.Headers[WebhookSignature.AttemptHeader].ToString()
                    )
                );
                if (!HoldsBodyOpen)
                    return Results.NoContent();
                context.Response.StatusCode = StatusCodes.Status200OK;
                await context.Response.Body.FlushAsync();
                var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                await Task.Delay(Timeout.Infinite, held.Token).ContinueWith(_ => { });
                return Results.Empty;
            }
        );
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>Waits (up to a generous bound, never asserting on the time) until the deliveries hold
    /// <paramref name="ids"/>.</summary>
    public async Task WaitForAsync(IReadOnlyCollection<string> ids, TimeSpan? bound = null)
    {
        var until = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(120));
        while (!ids.All(id => Deliveries.Any(d => d.MessageId == id)))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException(
                    $"Delivered {Deliveries.Count}: {string.Join(", ", Deliveries.Select(d => d.MessageId))}; "
                        + $"expected {string.Join(", ", ids)}."
                );
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
