using Marten;
using NodaTime;
using Salex.Projections.RightsChanges;
using Wolverine;

namespace Salex.Ledger.Api.Features.RightsChanges;

public static class SweepRightsChangesHandler
{
    public static async Task Handle(
        SweepRightsChanges message,
        IDocumentStore store,
        IMessageBus bus,
        IClock clock,
        Regime regime,
        ILogger<SweepRightsChanges> logger,
        CancellationToken ct
    )
    {
        var report = await RightsSweep.RunAsync(store, bus, clock, regime, ct);
        logger.LogInformation(
            "Rights sweep {From} to {Through}: {Examined} accounts, {Published} changes published",
            report.From,
            report.Through,
            report.AccountsExamined,
            report.ChangesPublished
        );
    }
}
