using JasperFx.CommandLine;
using Marten;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections.Integrity;
using Spectre.Console;

namespace Salex.Ledger.Api.Features.Migrating;

public sealed class ImportHistoryInput : NetCoreInput
{
    [Description("Path of the history file: JSON Lines, one account's events a line (README \"Loading a history\")")]
    public string Path { get; set; } = "";
}

/// <summary>
/// <c>import-history FILE</c>: loads a whole history from another system through <see cref="ChainedBulkLoad"/>. The
/// file is read twice: every line is checked first, and a file with any line refused loads nothing; then it is loaded
/// in parts of whole streams, each part one transaction with its receipts and registrations. Run it as the schema
/// owner with the service stopped, then <c>verify-ledger</c> and <c>rebuild-read-models</c>.
/// </summary>
[Description(
    "Loads a history from another system (JSON Lines, one account a line) with its hashes, receipts and DUI registrations; "
        + "every line is checked before anything is loaded",
    Name = "import-history"
)]
public sealed class ImportHistoryCommand : JasperFxAsyncCommand<ImportHistoryInput>
{
    /// <summary>Refused lines shown at most; the count says how many there were.</summary>
    private const int ProblemsShown = 20;

    /// <summary>Accounts handed to the load at a time (the load splits them into parts; only a share is in memory).</summary>
    private const int Share = 10_000;

    private static bool Changed(FileInfo before)
    {
        var now = new FileInfo(before.FullName);
        return !now.Exists || now.Length != before.Length || now.LastWriteTimeUtc != before.LastWriteTimeUtc;
    }

    public override Task<bool> Execute(ImportHistoryInput input) =>
        CommandFailure.ReportingUnreachableDatabase(() => RunAsync(input));

    private static async Task<bool> RunAsync(ImportHistoryInput input)
    {
        if (!File.Exists(input.Path))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]No file at {input.Path}[/]");
            return false;
        }
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var file = new HistoryFile(store);

        // First pass: every line checked, nothing written. The second pass loads what is read again, so the file must be
        // a regular file that does not change in between (a pipe would give the second pass other lines, or none).
        var before = new FileInfo(input.Path);
        var check = file.Check(input.Path, ProblemsShown);
        if (check.Bytes != before.Length || Changed(before))
        {
            AnsiConsole.MarkupLine(
                "[red]Nothing loaded:[/] the file is not a regular file, or it changed while it was checked."
            );
            return false;
        }
        foreach (var problem in check.Shown)
            Console.WriteLine(problem);
        if (check.Refused > 0 || check.Accounts == 0)
        {
            var why = check.Refused == 0 ? "the file holds no account" : $"{check.Refused} line(s) refused";
            var shown = check.Refused > ProblemsShown ? $" (the first {ProblemsShown} shown)" : "";
            AnsiConsole.MarkupLineInterpolated($"[red]Nothing loaded:[/] {why}{shown}.");
            return false;
        }
        var (accounts, events) = (check.Accounts, check.Events);
        Console.WriteLine($"{accounts} accounts, {events} events checked; loading.");

        // The rate schedule (for the due dates in the receipts' answers) is read from the policy stream, once the load
        // holds its lock.
        async Task<Regime> RegimeAsync(CancellationToken ct)
        {
            await host.Services.GetRequiredService<Rates.RateScheduleCache>().ReloadAsync(store, ct);
            return host.Services.GetRequiredService<Regime>();
        }
        try
        {
            if (Changed(before))
                throw new InvalidOperationException("The file changed after it was checked. Nothing was loaded.");
            var shares = file.Read(input.Path)
                .Select(l =>
                    l.Stream
                    ?? throw new InvalidOperationException(
                        $"Line {l.Number} changed after the file was checked; the parts before it were loaded."
                    )
                )
                .Chunk(Share)
                .Select(s => (IReadOnlyList<JasperFx.Events.StreamAction>)s);
            var result = await ChainedBulkLoad.LoadAsync(store, shares, RegimeAsync, CancellationToken.None);
            Console.WriteLine(
                $"Loaded {accounts} accounts, {events} events, {result.Hashed} hashes in {(result.Copy + result.Chain).TotalSeconds:N1} s. "
                    + "Now run verify-ledger, then rebuild-read-models."
            );
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The history is refused:[/] {e.Message}");
            return false;
        }
    }
}
