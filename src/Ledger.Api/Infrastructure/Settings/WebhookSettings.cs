namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// Webhook deliveries (section <c>Webhooks</c>): how long to keep retrying a subscriber that is down before the
/// delivery is dead-lettered, the pauses between attempts (the last one repeats), and how long one attempt may take.
/// Bound as options and validated when the host starts.
/// </summary>
public sealed class WebhookSettings : ICheckedSettings
{
    public const string Section = "Webhooks";

    /// <summary>From the change's recording (or its replay) to the last attempt.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Pauses between attempts: the first after the first failure, the last repeated until <see cref="GiveUpAfter"/>.
    /// None configured: <see cref="DefaultRetryDelays"/>. (Null rather than the defaults, because the configuration
    /// binder appends configured elements to an array that already has some.) Read as text and parsed here: the binder
    /// drops an element of a <c>TimeSpan[]</c> it cannot convert, without a word.
    /// </summary>
    public string[]? RetryDelays { get; set; }

    public TimeSpan[] Delays =>
        RetryDelays is { Length: > 0 } configured ? [.. configured.Select(t => PauseOf(t)!.Value)] : DefaultRetryDelays;

    private static TimeSpan? PauseOf(string? text) =>
        TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var pause) ? pause : null;

    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
    ];

    /// <summary>One attempt's time limit: connection, request and the subscriber's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Problems()
    {
        if (GiveUpAfter < TimeSpan.FromMinutes(1) || GiveUpAfter > TimeSpan.FromDays(30))
            yield return $"Webhooks:GiveUpAfter ({GiveUpAfter}) must be from 1 minute to 30 days.";
        var unread = (RetryDelays ?? []).Select((t, i) => (t, i)).Where(x => PauseOf(x.t) is null).ToList();
        foreach (var (text, i) in unread)
            yield return $"Webhooks:RetryDelays:{i}: '{text}' is not a pause (hh:mm:ss).";
        if (unread.Count > 0)
            yield break;
        if (Delays.Length > 20)
            yield return "Webhooks:RetryDelays must list from 1 to 20 pauses.";
        else if (Delays.Any(d => d < TimeSpan.FromMilliseconds(100) || d > TimeSpan.FromHours(6)))
            yield return "Webhooks:RetryDelays: each pause must be from 100 ms to 6 hours.";
        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > TimeSpan.FromMinutes(1))
            yield return $"Webhooks:Timeout ({Timeout}) must be from 1 to 60 seconds.";
    }
}
