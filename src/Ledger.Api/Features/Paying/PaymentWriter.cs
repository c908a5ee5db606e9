using System.Threading.Channels;
using Salex.Ledger.Api.Infrastructure;
using Wolverine;

namespace Salex.Ledger.Api.Features.Paying;

/// <summary>
/// The payments' group commit (docs/payments-group-commit.md). Each request queues its payment and waits; a few
/// writers each take every payment waiting (up to <see cref="MaxBatch"/>) and record them in one transaction
/// (<see cref="RecordPaymentBatchHandler"/>), then answer each request after the commit. No timer: a batch is what
/// arrived while the previous commit was in flight, so a lone payment waits for nobody. A payment whose recording
/// fails for a reason of its own never fails the others: the batch is recorded again one payment at a time.
/// </summary>
public sealed class PaymentWriter(IServiceScopeFactory scopes, ILogger<PaymentWriter> log) : BackgroundService
{
    /// <summary>The most payments in one transaction.</summary>
    public const int MaxBatch = 64;

    /// <summary>
    /// Transactions in flight at once. Measured with 8 callers (docs/benchmarks.md): 2 writers 753 payments/s, 4 writers
    /// 1,009, 8 writers 946; more would mostly race on the same accounts and indexes.
    /// </summary>
    public const int Writers = 4;

    /// <summary>How long a batch may take, retries of lost races included, before its requests are failed.</summary>
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(60);

    private readonly Channel<Waiting> _queue = Channel.CreateBounded<Waiting>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait }
    );

    private sealed record Waiting(PendingPayment Payment, TaskCompletionSource<PaymentOutcome> Answer);

    /// <summary>Queues the payment and answers once the transaction that recorded it (or refused it) is over.</summary>
    public async Task<PaymentOutcome> RecordAsync(RecordAccountPayment command, Stamps stamps, CancellationToken ct)
    {
        var waiting = new Waiting(
            new PendingPayment(command, stamps),
            new TaskCompletionSource<PaymentOutcome>(TaskCreationOptions.RunContinuationsAsynchronously)
        );
        await _queue.Writer.WriteAsync(waiting, ct);
        // A caller that gives up does not take its payment back: it may still be recorded, and the same payment sent
        // again finds its receipt.
        return await waiting.Answer.Task.WaitAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => WriteAsync(stoppingToken)));

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Waiting>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var waiting))
                    batch.Add(waiting);
                if (batch.Count > 0)
                    await RecordAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops: what is still queued is recorded before the writers end.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var waiting))
                await RecordAsync([waiting]);
        }
    }

    private async Task RecordAsync(IReadOnlyList<Waiting> batch)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            var outcomes = await bus.InvokeAsync<IReadOnlyList<PaymentOutcome>>(
                new RecordPaymentBatch([.. batch.Select(w => w.Payment)]),
                CancellationToken.None,
                BatchTimeout
            );
            for (var i = 0; i < batch.Count; i++)
                batch[i].Answer.TrySetResult(outcomes[i]);
        }
        catch (Exception e) when (batch.Count > 1 && !Failures.IsDatabaseUnavailable(e))
        {
            log.LogWarning(e, "A batch of {Count} payments failed; recording them one at a time", batch.Count);
            foreach (var waiting in batch)
                await RecordAsync([waiting]);
        }
        catch (Exception e)
        {
            // The request answers from this exception: 409 for a race lost every time, 503 for a database away.
            foreach (var waiting in batch)
                waiting.Answer.TrySetException(e);
        }
    }
}
