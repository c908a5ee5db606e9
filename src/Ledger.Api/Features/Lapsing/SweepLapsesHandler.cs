using Marten;
using NodaTime;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.Lapsing;

public static class SweepLapsesHandler
{
    public static async Task Handle(
        SweepLapses message,
        IDocumentStore store,
        IClock clock,
        Regime regime,
        ILogger<SweepLapses> logger,
        CancellationToken ct
    )
    {
        var report = await LapseSweep.RunAsync(store, ElSalvador.Today(clock), regime, ct);
        logger.LogInformation(
            "Lapse sweep on {On} (occurrence {Occurrence}): {Examined} open accounts, {Recorded} lapses recorded, {Conflicts} left for the next run",
            report.On,
            message.Occurrence?.ToString("O") ?? "none",
            report.AccountsExamined,
            report.LapsesRecorded,
            report.Conflicts
        );
    }
}
