using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.Paying;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Projections;
using Wolverine;
using Wolverine.Marten;

namespace Salex.Ledger.Benchmarks;

/// <summary>
/// A host with the ledger's store and Wolverine's command handling configured as the API's (the same handlers,
/// the same retry of lost races, the same middleware, the payments' group commit), without HTTP or background jobs, so a workload can send the
/// API's commands in process. Its clock stands still at noon of <see cref="Population.Today"/>.
/// </summary>
public static class CommandHost
{
    public static async Task<IHost> StartAsync(string connection, Regime regime)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new StillClock(
            Population.Today.At(new LocalTime(12, 0)).InZoneLeniently(ElSalvador.TimeZone).ToInstant()));
        builder.Services.AddSingleton(regime);
        builder.Services.AddMarten(opts => LedgerStore.Configure(opts, connection, createSchemaObjects: false))
            .UseLightweightSessions()
            .IntegrateWithWolverine();
        builder.Services.AddPaymentWriter();
        builder.UseWolverine(opts =>
        {
            // The API's assembly is the application's: its handlers, and the code generated for them (below).
            opts.ApplicationAssembly = typeof(AccountCommands).Assembly;
            opts.Durability.Mode = DurabilityMode.MediatorOnly;
            opts.ConfigureAccountCommands();
            // The handlers' pre-generated code, compiled in with the API as a Release build runs it (README "Generated
            // code"). Without it Wolverine compiled them here at run time in debug mode, code the JIT never optimises.
            GeneratedCode.Configure(opts);
        });
        var host = builder.Build();
        await host.StartAsync();
        // An empty batch compiles the batch handler's code now, not inside the measured payments.
        using var scope = host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>()
            .InvokeAsync<IReadOnlyList<PaymentOutcome>>(new RecordPaymentBatch([]));
        return host;
    }

    private sealed class StillClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
