using JasperFx;

// The admin commands of this host (import-bank-file, ...) are found by JasperFx in assemblies marked so,
// beside its own (db-apply, projections, ...): `dotnet run --project src/Ledger.Api -- help` lists them all.
[assembly: JasperFxAssembly]

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>The host's entry: the web service, or one of the JasperFx commands.</summary>
public static class CommandLine
{
    /// <summary>
    /// Without arguments, or with only the host's own options (<c>--urls</c>, <c>--environment</c>, ...: read by the
    /// builder already), the web service runs at once. JasperFx's command line would run the same host, but first
    /// searches every assembly for commands and prints what it searched (a fifth of a cold start, docs/benchmarks.md),
    /// and a host that then failed to start exited 0. A command (<c>db-apply</c>, <c>help</c>, ...) goes to the JasperFx
    /// command line. A failed start propagates: <see cref="StartFailure"/> reports it and exits non-zero.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (RebuildGuard.IsRebuild(args) && await RebuildRefusedAsync(app))
            return 1;
        if (ApplicationRoleCheck.AppliesSchema(args))
            await ApplicationRoleCheck.BeforeCommandAsync(app);
        if (args.Length > 0 && !args[0].StartsWith('-'))
            return await app.RunJasperFxCommands(args);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Whether a rebuild of the read models must not start (a ledger process is connected, or the database
    /// cannot be reached); says why on stderr.</summary>
    private static async Task<bool> RebuildRefusedAsync(WebApplication app) =>
        !await CommandFailure.ReportingUnreachableDatabase(async () =>
        {
            if (
                await RebuildGuard.ProblemAsync(app.Configuration.GetConnectionString("Ledger")!, default)
                is not { } problem
            )
                return true;
            Console.Error.WriteLine("The rebuild did not start: " + problem);
            return false;
        });
}
