using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Lapsing;

public static class SweepLapsesHandler
{
    public static async Task Handle(SweepLapses message, IDocumentStore store, IClock clock, Regime regime, ILogger<SweepLapses> logger, CancellationToken ct)
    {
        var report = await LapseSweep.RunAsync(store, ElSalvador.Today(clock), regime, ct);
        logger.LogInformation("Lapse sweep on {On}: {Examined} open accounts, {Recorded} lapses recorded, {Conflicts} left for the next run",
            report.On, report.AccountsExamined, report.LapsesRecorded, report.Conflicts);
    }
}
