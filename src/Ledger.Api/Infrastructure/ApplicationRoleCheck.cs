using Microsoft.Extensions.Options;
using Npgsql;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Projections;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Whoever applies the schema (<c>db-apply</c>, <c>resources setup</c>, a start with the schema created at startup:
/// Development, <c>Ledger:CreateSchemaObjects</c>) grants <c>Ledger:ApplicationRole</c> its append-only rights; the
/// migration skips them when the role does not exist (<c>ApplicationRoleGrants</c>: a fresh development machine, run as
/// the superuser, must work), and it did so without a word, so a misspelt role left the service's real role without
/// its rights and the ledger's history without its protection. Now: a role other than the default that does not exist
/// stops it before anything is applied, naming the setting (exit 78: a mistake in the setting, not a fresh machine); the
/// default role (<c>salex_app</c>) missing is a warning naming the setting and the role, and the rest is applied.
/// </summary>
public sealed class ApplicationRoleCheck(
    IOptions<LedgerSettings> settings,
    IConfiguration configuration,
    ILogger<ApplicationRoleCheck> log
) : IHostedLifecycleService
{
    /// <summary>What a missing role means: <c>Stops</c> for a role other than the default.</summary>
    public sealed record Finding(bool Stops, string Message);

    /// <summary>What to say about the role, null when it exists.</summary>
    public static async Task<Finding?> CheckAsync(string connectionString, string role, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "select exists (select from pg_roles where rolname = $1)",
            connection
        )
        {
            Parameters = { new() { Value = role } },
        };
        return await command.ExecuteScalarAsync(ct) is true ? null : Missing(role);
    }

    /// <summary>What a role that does not exist means, by its name.</summary>
    public static Finding Missing(string role) =>
        role == LedgerStore.DefaultApplicationRole
            ? new(
                Stops: false,
                $"Ledger:ApplicationRole '{role}' (the default) is not a role of this PostgreSQL server: its grants (the "
                    + "service's rights, append-only on the events) were skipped. Create the role (db/start.sh does) and "
                    + "run db-apply again before the service connects as it."
            )
            : new(
                Stops: true,
                $"Ledger:ApplicationRole '{role}' is not a role of this PostgreSQL server: create it, or correct the "
                    + "setting, then apply the schema (its grants would have been skipped: nothing was applied)."
            );

    /// <summary>The JasperFx commands that apply the schema or write the script that does: <c>db-apply</c>,
    /// <c>db-patch</c>, <c>resources setup</c> (names in any case, as JasperFx reads them).</summary>
    public static bool AppliesSchema(string[] args) =>
        args.Length > 0
        && (
            args[0].Equals("db-apply", StringComparison.OrdinalIgnoreCase)
            // The script a DBA applies in production: it carries no grants for a role that does not exist.
            || args[0].Equals("db-patch", StringComparison.OrdinalIgnoreCase)
            || args[0].Equals("resources", StringComparison.OrdinalIgnoreCase)
                && args.Skip(1).Any(a => a.Trim().Equals("setup", StringComparison.OrdinalIgnoreCase))
        );

    /// <summary>Before a command that applies the schema: a warning for the default role missing; a role other than the
    /// default missing throws (one line, exit 78). A database that cannot be reached is the command's to report.</summary>
    public static async Task BeforeCommandAsync(WebApplication app)
    {
        Finding? finding;
        try
        {
            finding = await CheckAsync(
                app.Configuration.GetConnectionString("Ledger")!,
                app.Services.GetRequiredService<IOptions<LedgerSettings>>().Value.ApplicationRole,
                CancellationToken.None
            );
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return;
        }
        Report(finding, app.Logger);
    }

    private static void Report(Finding? finding, ILogger log)
    {
        if (finding is { Stops: true })
            throw new SettingsNotValidException(finding.Message);
        if (finding is not null)
            log.LogWarning("{Finding}", finding.Message);
    }

    /// <summary>At a start that applies the schema: before every hosted service's start, so before Marten's
    /// migration.</summary>
    public async Task StartingAsync(CancellationToken ct) =>
        Report(await CheckAsync(configuration.GetConnectionString("Ledger")!, settings.Value.ApplicationRole, ct), log);

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
