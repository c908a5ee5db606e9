using JasperFx.CommandLine;
using Marten;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.BankFiles;
using Spectre.Console;
using Wolverine;

namespace Salex.Ledger.Api.Features.ImportingBankFiles;

public sealed class ImportBankFileInput : NetCoreInput
{
    [Description("Path of the bank file: CSV (SPEC §5) or a camt.053 statement (XML)")]
    public string Path { get; set; } = "";

    [Description("Print progress as plain lines instead of a progress bar (for logs and scripts)")]
    [FlagAlias("plain", 'p')]
    public bool PlainFlag { get; set; }
}

/// <summary>
/// Imports a bank file from the command line, on the same path as <c>POST /api/bank-files</c>: same
/// outcomes, same batches, same file id. Running it again on the same file after it was interrupted
/// completes the import. The web server is not started, so it runs beside a live service.
/// </summary>
[Description(
    "Imports a bank payment file (CSV or camt.053) with a progress bar; run it again to complete an interrupted import",
    Name = Name
)]
public sealed class ImportBankFileCommand : JasperFxAsyncCommand<ImportBankFileInput>
{
    public const string Name = "import-bank-file";

    public override Task<bool> Execute(ImportBankFileInput input) =>
        CommandFailure.ReportingUnreachableDatabase(() => RunAsync(input));

    private static async Task<bool> RunAsync(ImportBankFileInput input)
    {
        if (!File.Exists(input.Path))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]No file at {input.Path}[/]");
            return false;
        }
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        // The host is not started, so its check of the event chain did not run: no line recorded unhashed. (Also the
        // first query: a database that cannot be reached is said in one line, before Wolverine logs its own trace.)
        if (await Salex.Projections.Integrity.EventChainGuard.ProblemAsync(store, CancellationToken.None) is { } chain)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Nothing imported: {chain}.[/]");
            return false;
        }
        // Only Wolverine's runtime is started (the batches are its commands); not the web server or the jobs.
        await ((IHostedService)host.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>()).StartAsync(
            CancellationToken.None
        );
        // The host is not started, so the rate schedule is read from the policy stream here.
        await host.Services.GetRequiredService<Rates.RateScheduleCache>().ReloadAsync(store, CancellationToken.None);
        var registry = host.Services.GetRequiredService<Banks.PartnerBankRegistry>();
        await registry.EnsureSeededAsync(store, CancellationToken.None);
        var banks = await registry.ReloadAsync(store, CancellationToken.None);
        var stamps = new Stamps(Environment.UserName, "import-bank-file", Guid.NewGuid().ToString("N"), "command line");
        using var scope = host.Services.CreateScope();
        var importer = new BankFileImporter(
            scope.ServiceProvider.GetRequiredService<IMessageBus>(),
            Recording.Of(stamps),
            banks,
            host.Services.GetRequiredService<IClock>()
        );

        try
        {
            await using var file = File.OpenRead(input.Path);
            var result =
                input.PlainFlag || !AnsiConsole.Profile.Capabilities.Interactive
                    ? await importer.ImportAsync(
                        file,
                        CancellationToken.None,
                        new Direct(p => Console.WriteLine($"{p.Lines} lines recorded, {Percent(p)} % of the file read"))
                    )
                    : await AnsiConsole
                        .Progress()
                        .Columns(
                            new TaskDescriptionColumn(),
                            new ProgressBarColumn(),
                            new PercentageColumn(),
                            new RemainingTimeColumn()
                        )
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask(
                                System.IO.Path.GetFileName(input.Path),
                                maxValue: Math.Max(file.Length, 1)
                            );
                            // Progress<T> would post to the thread pool; the bar wants the latest figure, so it is set
                            // directly.
                            var done = await importer.ImportAsync(
                                file,
                                CancellationToken.None,
                                new Direct(p => task.Value = p.BytesRead)
                            );
                            task.Value = task.MaxValue;
                            return done;
                        });
            Report(result);
            return result.File.Status == BankFileStatus.Completed && result.File.Balanced;
        }
        catch (BankFileRefused e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The file is refused:[/] {e.Message}");
            return false;
        }
        catch (Exception e) when (Conflicts.IsLostRace(e))
        {
            // Under heavy payment traffic on the same accounts a batch can lose every retry (over HTTP: 409). What
            // committed stays; the batch that lost committed nothing, and a new run recognises what is recorded.
            AnsiConsole.MarkupLineInterpolated(
                $"[red]The import stopped:[/] a batch lost {Conflicts.MaxAttempts} races against other writers on the same accounts and recorded nothing. The batches before it are recorded; run the same command again to complete the file."
            );
            return false;
        }
    }

    private static int Percent(BankFileImporter.Progress p) => p.Bytes == 0 ? 100 : (int)(100 * p.BytesRead / p.Bytes);

    private static void Report(BankFileImporter.Result result)
    {
        var f = result.File;
        Console.WriteLine(
            $"File {f.Id}: {f.Status}, {f.Lines} lines ({result.AlreadyRecorded} recorded by an earlier import)"
        );
        foreach (var (outcome, count) in f.Outcomes.Where(o => o.Value > 0))
            Console.WriteLine($"  {outcome, -26}{count, 10}");
        Console.WriteLine(
            FormattableString.Invariant(
                $"Received {f.Received:0.00} = contributions {f.Contributions:0.00} + surcharges {f.Surcharges:0.00} + credits {f.Credits:0.00} + suspense {f.Suspense:0.00} + refunds due {f.RefundsDue:0.00}: {(f.Balanced ? "balanced" : "NOT BALANCED")}"
            )
        );
    }

    private sealed class Direct(Action<BankFileImporter.Progress> report) : IProgress<BankFileImporter.Progress>
    {
        public void Report(BankFileImporter.Progress value) => report(value);
    }
}
