using JasperFx.CommandLine;
using Marten;
using Salex.Ledger.Api.Infrastructure;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- verify-projections</c>: recomputes every read model from the events,
/// lists each difference from the stored one, and exits non-zero on any. It reads only: to rebuild, use the
/// JasperFx <c>projections</c> command (plain rebuilds, not Marten's experimental optimized or bulk-copy ones).
/// </summary>
[Description(
    "Recompute every read model from the events, compare with the stored ones and check that the money adds up; exits non-zero on any difference",
    Name = "verify-projections"
)]
public sealed class VerifyProjectionsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override Task<bool> Execute(NetCoreInput input) =>
        CommandFailure.ReportingUnreachableDatabase(() => RunAsync(input));

    private static async Task<bool> RunAsync(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var report = await new ProjectionVerifier(host.Services.GetRequiredService<IDocumentStore>()).VerifyAsync(
            CancellationToken.None
        );
        foreach (var difference in report.Differences)
            Console.WriteLine($"DIFFERENT {difference}");
        Console.WriteLine(
            report.Matches
                ? $"Read models match the events: {report.Accounts} accounts, {report.ReserveYears} reserve years, {report.BankFiles} bank files."
                : $"{report.Differences.Count} differences ({report.Accounts} accounts, {report.ReserveYears} reserve years, {report.BankFiles} bank files checked)."
        );
        // The reserve is compared up to its daemon's mark: a projection stopped would otherwise read as matching (a
        // second engineer's attack froze it for six minutes, with this command saying "match").
        Console.WriteLine(
            report.PaymentsNotCounted == 0
                ? $"The reserve has counted every payment (its daemon's mark: event {report.ReserveMark})."
                : $"BEHIND The reserve has yet to count {report.PaymentsNotCounted} payment events after event "
                    + $"{report.ReserveMark}: its daemon is running behind, or stopped (see the service's log)."
        );
        // Beside the read models: every cent received is in exactly one place.
        var money = await new MoneyConservation(host.Services.GetRequiredService<IDocumentStore>()).CheckAsync(
            CancellationToken.None
        );
        foreach (var problem in money.Problems)
            Console.WriteLine($"MONEY {problem}");
        Console.WriteLine(
            money.Holds
                ? $"Money adds up: {money.Transactions} transactions, {money.Received:0.00} received = {money.OnAccounts:0.00} on accounts"
                    + $" + {money.OpenSuspense:0.00} in suspense + {money.RefundedSuspense:0.00} paid back from suspense."
                : $"{money.Problems.Count} money problems."
        );
        return report.Matches && money.Holds;
    }
}
