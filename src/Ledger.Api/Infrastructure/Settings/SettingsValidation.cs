using Microsoft.Extensions.Options;

namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// The configuration, bound once as options and checked when the host starts: a bad setting stops it with every
/// problem named (<see cref="OptionsValidationException"/>), rather than surfacing on the first request.
/// </summary>
public static class SettingsValidation
{
    public static IServiceCollection AddLedgerSettings(
        this IServiceCollection services,
        IConfiguration configuration
    ) =>
        services
            .AddChecked<RegimeSettings>(configuration, RegimeSettings.Section)
            .AddChecked<LedgerSettings>(configuration, LedgerSettings.Section)
            .AddChecked<AuthSettings>(configuration, AuthSettings.Section)
            .AddChecked<FhirSettings>(configuration, FhirSettings.Section)
            .AddChecked<WebhookSettings>(configuration, WebhookSettings.Section)
            .AddChecked<IndicatorSettings>(configuration, IndicatorSettings.Section);

    private static IServiceCollection AddChecked<T>(
        this IServiceCollection services,
        IConfiguration configuration,
        string section
    )
        where T : class, ICheckedSettings
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, Checker<T>>();
        return services;
    }

    private sealed class Checker<T> : IValidateOptions<T>
        where T : class, ICheckedSettings
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options.Problems().ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems)
                : ValidateOptionsResult.Success;
    }
}
