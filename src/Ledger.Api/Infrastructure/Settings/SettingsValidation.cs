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

    /// <summary>
    /// Every checked section's problems, and the listening URLs' (<see cref="ListenUrls"/>), read from the configuration
    /// now: the program asks before it builds anything, so that a command (which never starts the host, where
    /// <c>ValidateOnStart</c> runs) stops on a bad setting with the same one line and exit 78 as the service, not a
    /// stack trace at the setting's first use.
    /// </summary>
    public static IEnumerable<string> Problems(IConfiguration configuration) =>
        Problems<RegimeSettings>(configuration, RegimeSettings.Section)
            .Concat(Problems<LedgerSettings>(configuration, LedgerSettings.Section))
            .Concat(Problems<AuthSettings>(configuration, AuthSettings.Section))
            .Concat(Problems<FhirSettings>(configuration, FhirSettings.Section))
            .Concat(Problems<WebhookSettings>(configuration, WebhookSettings.Section))
            .Concat(Problems<IndicatorSettings>(configuration, IndicatorSettings.Section))
            .Concat(ListenUrls.Problems(configuration));

    private static IEnumerable<string> Problems<T>(IConfiguration configuration, string section)
        where T : class, ICheckedSettings, new()
    {
        T? settings;
        try
        {
            settings = configuration.GetSection(section).Get<T>(Strictly);
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong type, or a key the section does not have: the binder's message names both.
            return [$"{section}: {e.Message}"];
        }
        return (settings ?? new T()).Problems();
    }

    /// <summary>A key the section does not have (a misspelt setting) stops the start, naming it, instead of being
    /// ignored.</summary>
    public static void Strictly(BinderOptions options) => options.ErrorOnUnknownConfiguration = true;

    /// <summary>What is wrong with a connection string setting, if anything: not one PostgreSQL reads, or no host.</summary>
    public static string? ConnectionStringProblem(string setting, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return $"{setting} is empty.";
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(parsed.Host) ? $"{setting} names no host." : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return $"{setting} is not a PostgreSQL connection string: {e.Message}";
        }
    }

    private static IServiceCollection AddChecked<T>(
        this IServiceCollection services,
        IConfiguration configuration,
        string section
    )
        where T : class, ICheckedSettings
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section), Strictly).ValidateOnStart();
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
