using Salex.Projections.Payments;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.BankFiles;
using Shouldly;
using Xunit.Abstractions;
using static Salex.Ledger.Api.Tests.BankFiles;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// Crash safety with a real process: the host's <c>import-bank-file</c> command is started as a child
/// process on the test database and killed (SIGKILL, no clean-up) in the middle of a file; importing the
/// same file again through the API completes it, losing no line and applying none twice.
/// </summary>
public sealed class KilledImportTests(LedgerHost fixture, ITestOutputHelper output) : LedgerTest(fixture)
{
    private const int Lines = 20_000;

    [Fact]
    public async Task an_import_killed_mid_file_is_completed_by_importing_the_file_again_with_nothing_lost_or_doubled()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 10; i++) accounts.Add(await Host.EnrolAsync(enrolledOn: "2018-01-10"));
        // 1.00 a line: every third line an unknown payer (suspense), the others pay ten accounts' periods from
        // accumulated credit, up to the advance limit and past it (refunds due).
        var csv = Csv([.. Enumerable.Range(1, Lines).Select(i =>
            $"AGRICOLA,KILL-{i},2018-02-01T10:00:00-06:00,{(i % 3 == 0 ? "999999999" : accounts[i % 10])},1.00,ONLINE")]);
        var bytes = Encoding.UTF8.GetBytes(csv);
        var fileId = "BF-" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"{fileId}.csv");
        await File.WriteAllBytesAsync(path, bytes);

        try
        {
            var recordedWhenKilled = await StartAndKillAsync(path, fileId);
            output.WriteLine($"killed after {recordedWhenKilled} of {Lines} lines");

            var summary = await Host.ImportCsvAsync(csv);

            summary.FileId.ShouldBe(fileId);
            summary.AlreadyRecorded.ShouldBe(recordedWhenKilled);
            (summary.Status, summary.Lines, summary.Received, summary.Outcomes["Duplicate"]).ShouldBe(("Completed", Lines, Lines * 1.00m, 0));
            summary.Balanced.ShouldBeTrue();

            await using var session = Fixture.Store.QuerySession();
            // One line event per line, the file's start and its end: none twice, none missing.
            var lineNumbers = (await session.Events.FetchStreamAsync(fileId)).Select(e => e.Data).OfType<BankFileLineRecorded>().Select(l => l.Line).ToList();
            lineNumbers.ShouldBe(Enumerable.Range(2, Lines));
            (await session.Query<PaymentReceipt>().CountAsync()).ShouldBe(Lines);
            // Every cent once: periods paid, credit kept and refunds due on the accounts, plus suspense, are the 20,000.00 received.
            var onAccounts = 0m;
            foreach (var number in accounts)
            {
                var account = (await session.LoadAsync<Salex.Ledger.Accounts.Account>(number))!;
                onAccounts += account.Paid.Sum(p => p.Base + p.Surcharge) + account.Credit + account.RefundsTotal;
            }
            var suspense = (await session.Query<SuspenseItem>().ToListAsync()).Sum(s => s.Amount);
            (onAccounts + suspense).ShouldBe(Lines * 1.00m);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs the command on the file, kills it once two batches are committed, and answers how many lines it had recorded.</summary>
    private async Task<int> StartAndKillAsync(string path, string fileId)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { api, "import-bank-file", path, "--plain" }) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Ledger"] = Environment.GetEnvironmentVariable("ConnectionStrings__Ledger");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";

        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddMinutes(2);
        BankFileReconciliation? file = null;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            await using (var session = Fixture.Store.QuerySession())
                file = await session.LoadAsync<BankFileReconciliation>(fileId);
            if (file is { LastLine: >= 2 * 500 }) break;
            await Task.Delay(20);
        }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        output.WriteLine(log.ToString());

        file.ShouldNotBeNull($"the command recorded nothing before it was killed or exited:\n{log}");
        await using (var session = Fixture.Store.QuerySession())
            file = await session.LoadAsync<BankFileReconciliation>(fileId);
        // The point of the test: the process died with the file half done.
        file!.Status.ShouldBe(BankFileStatus.Importing, $"the import finished before it could be killed:\n{log}");
        file.Lines.ShouldBeLessThan(Lines);
        file.Lines.ShouldBe(file.LastLine - 1, "the lines recorded are the file's first lines, in order");
        return file.Lines;
    }
}
