using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace Salex.Ledger.Benchmarks;

/// <summary>One line of the table: the ledger's figure, its baseline's, the ratio and the target.</summary>
public sealed record Row(string Workload, string Ledger, string Baseline, double? Ratio, string Target, bool? Met);

public sealed record Machine(string Cpu, int Cores, double MemoryGiB, string PostgreSql, string PostgreSqlSettings, string Runtime, string Os)
{
    public static async Task<Machine> ReadAsync(string connection)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? await File.ReadAllLinesAsync("/proc/cpuinfo") : [];
        var cores = cpuinfo.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        var model = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var meminfo = File.Exists("/proc/meminfo") ? await File.ReadAllLinesAsync("/proc/meminfo") : [];
        var memKb = meminfo.FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "0";
        var os = File.Exists("/etc/os-release")
            ? (await File.ReadAllLinesAsync("/etc/os-release")).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? ""
            : RuntimeInformation.OSDescription;

        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        async Task<string> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, db);
            return (await cmd.ExecuteScalarAsync())?.ToString() ?? "";
        }
        var version = await Scalar("select version()");
        var settings = string.Join(", ", new[] { "shared_buffers", "fsync", "synchronous_commit", "max_connections" }
            .Select(name => (name, value: Scalar($"show {name}").Result)).Select(s => $"{s.name}={s.value}"));
        return new Machine(model, cores == 0 ? Environment.ProcessorCount : cores, long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0,
            version, settings, RuntimeInformation.FrameworkDescription, os);
    }
}

public static class Report
{
    public const string Begin = "<!-- bench:begin (written by ./bench.sh; edit outside these markers) -->";
    public const string End = "<!-- bench:end -->";

    public static string Fmt(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Table(IReadOnlyList<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| workload | ledger | baseline (raw, same run) | ratio | target | met |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Workload} | {r.Ledger} | {r.Baseline} | {(r.Ratio is { } x ? Fmt(x, 2) : "")} | {r.Target} | {(r.Met is { } m ? (m ? "yes" : "**no**") : "")} |");
        return sb.ToString();
    }

    /// <summary>Plain text for the console: fixed-width columns.</summary>
    public static string ConsoleTable(IReadOnlyList<Row> rows)
    {
        string[] head = ["workload", "ledger", "baseline", "ratio", "target", "met"];
        var cells = rows.Select(r => new[]
        {
            r.Workload, r.Ledger, r.Baseline, r.Ratio is { } x ? Fmt(x, 2) : "", r.Target, r.Met is { } m ? (m ? "yes" : "NO") : "",
        }).Prepend(head).ToList();
        var widths = Enumerable.Range(0, head.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in cells)
            sb.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        return sb.ToString();
    }

    /// <summary>
    /// Writes the generated part between the markers; text outside them (the findings) is kept, so a new
    /// run replaces the figures and leaves what was written about them.
    /// </summary>
    public static async Task WriteAsync(string path, string generated)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var block = $"{Begin}\n{generated.TrimEnd()}\n{End}";
        string text;
        if (File.Exists(path) && await File.ReadAllTextAsync(path) is var old && old.Contains(Begin) && old.Contains(End))
            text = old[..old.IndexOf(Begin, StringComparison.Ordinal)] + block + old[(old.IndexOf(End, StringComparison.Ordinal) + End.Length)..];
        else
            text = $"# Benchmarks\n\n{block}\n\n## Findings\n\n(Nothing written yet.)\n";
        await File.WriteAllTextAsync(path, text);
    }
}
