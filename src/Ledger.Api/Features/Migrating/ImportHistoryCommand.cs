using JasperFx.CommandLine;
using Marten;
using Salex.Ledger.Api.Infrastructure;
using Salex.Projections.Integrity;
using Salex.Projections.Payments;
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
/// owner with the service stopped, then <c>verify-ledger</c> and <c>projections rebuild</c>.
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

        // First pass: every line checked, nothing written. Across lines: an account, a DUI and a bank transaction each
        // belong to one line (the load would refuse them too, but only when it reached them, after earlier parts).
        var (accounts, events, refused) = (0, 0L, 0);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var duis = new Dictionary<string, int>(StringComparer.Ordinal);
        var transactions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in file.Read(input.Path))
        {
            var problem = line.Problem ?? (line.Stream is { } stream ? Across(line.Number, stream) : null);
            if (problem is not null)
            {
                if (++refused <= ProblemsShown)
                    Console.WriteLine($"line {line.Number}: {problem}");
                continue;
            }
            accounts++;
            events += line.Stream!.Events.Count;
        }
        if (refused == 0 && accounts == 0)
        {
            AnsiConsole.MarkupLine("[red]Nothing loaded:[/] the file holds no account.");
            return false;
        }
        if (refused > 0)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[red]Nothing loaded:[/] {refused} line(s) refused{(refused > ProblemsShown ? $" (the first {ProblemsShown} shown)" : "")}."
            );
            return false;
        }
        Console.WriteLine($"{accounts} accounts, {events} events checked; loading.");

        string? Across(int number, JasperFx.Events.StreamAction stream)
        {
            if (!numbers.Add(stream.Key!))
                return $"the account {stream.Key} has a line already";
            var dui = ((Enrolled)stream.Events[0].Data).Dui;
            if (!duis.TryAdd(dui, number))
                return $"the DUI {dui} is enrolled on line {duis[dui]} already";
            foreach (var e in stream.Events)
                if (HistoryReceipts.SourceOf(e.Data) is { } source)
                {
                    var key = PaymentReceipt.KeyOf(source.BankCode, source.Reference);
                    if (transactions.TryAdd(key, stream.Key!) || transactions[key] == stream.Key)
                        continue;
                    return $"the bank transaction {key} holds money of account {transactions[key]} already";
                }
            return null;
        }

        // The rate schedule (for the due dates in the receipts' answers) is read from the policy stream.
        await host.Services.GetRequiredService<Rates.RateScheduleCache>().ReloadAsync(store, CancellationToken.None);
        var regime = host.Services.GetRequiredService<Regime>();
        try
        {
            var shares = file.Read(input.Path)
                .Select(l => l.Stream!)
                .Chunk(Share)
                .Select(s => (IReadOnlyList<JasperFx.Events.StreamAction>)s);
            var result = await ChainedBulkLoad.LoadAsync(store, shares, regime, CancellationToken.None);
            Console.WriteLine(
                $"Loaded {accounts} accounts, {events} events, {result.Hashed} hashes in {(result.Copy + result.Chain).TotalSeconds:N1} s. "
                    + "Now run verify-ledger, then projections rebuild."
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
