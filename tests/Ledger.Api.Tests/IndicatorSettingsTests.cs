using Microsoft.Extensions.Configuration;
using NodaTime;
using Salex.Ledger.Api.Infrastructure.Settings;
using Salex.Ledger.Indicators;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>The indicators' settings as the README documents them: bound by their names and obeyed.</summary>
public sealed class IndicatorSettingsTests
{
    private static IndicatorSettings Bind(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build().GetSection(IndicatorSettings.Section).Get<IndicatorSettings>() ?? new IndicatorSettings();

    [Fact]
    public void the_defaults_are_the_design_target_and_the_isss_costing()
    {
        var rules = Bind().ToRules();
        (rules.EnrolmentTargetPerYear, rules.MonthlyCostPerCoveredPerson).ShouldBe((5000, 42.79m));
        Bind().Problems().ShouldBeEmpty();
    }

    [Fact]
    public void a_configured_target_and_cost_are_what_the_figures_use()
    {
        var settings = Bind(("Indicators:EnrolmentTargetPerYear", "1200"), ("Indicators:MonthlyCostPerCoveredPerson", "50.10"));
        settings.Problems().ShouldBeEmpty();
        var account = Salex.Ledger.Accounts.Account.Open(new Enrolled("A", "04567890-3", "Ana", new LocalDate(1985, 6, 2), "US", null,
            new LocalDate(2018, 1, 10), new YearMonth(2018, 2), [], new EligibilityChecks(true, true, true)));
        var f = ProgrammeTally.Of([account], new LocalDate(2018, 2, 1), new LocalDate(2018, 2, 28), new LocalDate(2026, 11, 23),
            Regime.Default, settings.ToRules());
        f.Months[0].EnrolmentTarget.ShouldBe(100m);
        f.Months[0].Cost.ShouldBe(50.10m);     // one person covered in February (the period is due on its last day)
        f.Totals.Balance.ShouldBe(-50.10m);
    }
}
