using System.Diagnostics;

namespace Salex.Ledger.Benchmarks;

/// <summary>Operations per second with latency percentiles.</summary>
public sealed record Throughput(long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}

public static class Measure
{
    /// <summary>
    /// Runs <paramref name="workers"/> loops of <paramref name="operation"/> (given the worker's number and its
    /// own random source) for a warm-up, then for <paramref name="seconds"/>, and counts only the second part.
    /// </summary>
    public static async Task<Throughput> ForDurationAsync(
        int workers, double seconds, Func<int, Random, Task> operation, int seed, double warmupSeconds)
    {
        await RunAsync(workers, warmupSeconds, operation, seed + 1, record: false);
        return await RunAsync(workers, seconds, operation, seed, record: true);
    }

    /// <summary>
    /// Two workloads measured in turns rather than one after the other: after a warm-up of each, <paramref name="slices"/>
    /// turns of <paramref name="seconds"/> / <paramref name="slices"/> each, in the order A B B A A B …, so that what
    /// else the shared machine does (its load moved a baseline by a third between two consecutive 10 s runs) falls on
    /// both alike. Each side's operations, time and latencies are summed over its turns.
    /// </summary>
    public static async Task<(Throughput A, Throughput B)> InTurnsAsync(
        int workers, double seconds, int slices, Func<int, Random, Task> a, Func<int, Random, Task> b, int seed, double warmupSeconds)
    {
        await RunAsync(workers, warmupSeconds, a, seed + 1, record: false);
        await RunAsync(workers, warmupSeconds, b, seed + 1, record: false);
        var latencies = (A: new List<double>(), B: new List<double>());
        var elapsed = (A: TimeSpan.Zero, B: TimeSpan.Zero);
        for (var turn = 0; turn < 2 * slices; turn++)
        {
            var isA = (turn % 4) is 0 or 3;
            var (timing, values) = await RunTimedAsync(workers, seconds / slices, isA ? a : b, seed + 7 * (turn / 2));
            if (isA) { latencies.A.AddRange(values); elapsed.A += timing; }
            else { latencies.B.AddRange(values); elapsed.B += timing; }
        }
        return (Summarise([.. latencies.A], elapsed.A), Summarise([.. latencies.B], elapsed.B));
    }

    private static async Task<Throughput> RunAsync(int workers, double seconds, Func<int, Random, Task> operation, int seed, bool record)
    {
        var (elapsed, all) = await RunTimedAsync(workers, seconds, operation, seed, record);
        return Summarise(all, elapsed);
    }

    private static async Task<(TimeSpan Elapsed, double[] Latencies)> RunTimedAsync(int workers, double seconds, Func<int, Random, Task> operation, int seed, bool record = true)
    {
        var latencies = new List<double>[workers];
        var stopwatch = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(64 * 1024);
            var rng = new Random(seed * 31 + w);
            while (stopwatch.Elapsed < until)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(w, rng);
                if (record) mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return (stopwatch.Elapsed, latencies.SelectMany(l => l).ToArray());
    }

    /// <summary>Runs each worker's share of work once, timing every item.</summary>
    public static async Task<Throughput> AllAsync<T>(IReadOnlyList<IReadOnlyList<T>> shares, Func<int, T, Task> operation, Func<int, long>? countOf = null)
    {
        var latencies = new List<double>[shares.Count];
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(shares.Select((share, w) => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(share.Count);
            foreach (var item in share)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(w, item);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var elapsed = stopwatch.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        var summary = Summarise(all, elapsed);
        return countOf is null ? summary : summary with { Operations = countOf(all.Length) };
    }

    public static Throughput Summarise(double[] latencies, TimeSpan elapsed)
    {
        Array.Sort(latencies);
        return new Throughput(latencies.Length, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public static async Task<(T Result, TimeSpan Elapsed)> TimeAsync<T>(Func<Task<T>> action)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await action();
        return (result, stopwatch.Elapsed);
    }

    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed;
    }
}

/// <summary>
/// The machine's CPU time, every process on every core (<c>/proc/stat</c>): what a phase cost this machine, the
/// database's processes included. Other work on the machine counts too; read it beside the load average.
/// </summary>
public static class MachineCpu
{
    /// <summary>The kernel's clock ticks per second for /proc/stat (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Busy()
    {
        if (!File.Exists("/proc/stat")) return TimeSpan.Zero;
        // cpu user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + (ticks.Length > 7 ? ticks[7] : 0);
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
