using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine.Runtime;

namespace Salex.Ledger.Api.Tests;

/// <summary>The durability settings the README documents reach Wolverine.</summary>
public sealed class DurabilitySettingsTests(LedgerHost fixture) : LedgerTest(fixture)
{
    [Fact]
    public void a_paused_projection_is_restarted_within_the_configured_ceiling() =>
        Host.Services.GetRequiredService<IWolverineRuntime>()
            .Options.Durability.TransientFailureRestartMaxBackoff.ShouldBe(LedgerHost.ProjectionRestartMaxBackoff);

    [Fact]
    public void without_the_setting_the_ceiling_is_thirty_seconds_not_wolverines_five_minutes() =>
        new Infrastructure.Settings.LedgerSettings().ProjectionRestartMaxBackoff.ShouldBe(TimeSpan.FromSeconds(30));

    [Fact]
    public void the_reserve_projection_runs_as_an_agent_the_test_host_can_restart() =>
        Fixture.SubscriptionAgents.ShouldContain(a => a.ToString().Contains("reserveyears", StringComparison.OrdinalIgnoreCase));
}
