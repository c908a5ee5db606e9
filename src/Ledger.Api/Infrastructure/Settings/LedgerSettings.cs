using System.Text.RegularExpressions;
using Salex.Ledger.Banks;
using Salex.Ledger.Integrity;

namespace Salex.Ledger.Api.Infrastructure.Settings;

/// <summary>
/// The ledger's own settings (section <c>Ledger</c>): the schema, the database role, the digests' key and archive,
/// the partner banks that seed the registry. Bound as options and validated when the host starts.
/// </summary>
public sealed partial class LedgerSettings : ICheckedSettings
{
    public const string Section = "Ledger";

    /// <summary>Let Marten create and patch the schema at startup (always in Development).</summary>
    public bool CreateSchemaObjects { get; set; }

    /// <summary>The PostgreSQL role the service connects as in production.</summary>
    public string ApplicationRole { get; set; } = Salex.Projections.LedgerStore.DefaultApplicationRole;

    public string? DigestSigningKey { get; set; }
    public string? DigestPublicKey { get; set; }
    public string? DigestArchive { get; set; }

    /// <summary>When the daily lapse sweep runs: a cron expression in El Salvador time (5 fields, or 6 with
    /// seconds first). Wolverine runs each occurrence once across the nodes.</summary>
    public string LapseSweepSchedule { get; set; } = DefaultLapseSweepSchedule;

    /// <summary>When the daily ledger digest is recorded: a cron expression in El Salvador time.</summary>
    public string DigestSchedule { get; set; } = DefaultDigestSchedule;

    /// <summary>When the check that today's digest was recorded runs (it records one if the day's occurrence was
    /// skipped): a cron expression in El Salvador time.</summary>
    public string DigestCatchUpSchedule { get; set; } = DefaultDigestCatchUpSchedule;

    /// <summary>When the daily rights sweep (the changes of standing the passage of time makes) runs: a cron expression
    /// in El Salvador time.</summary>
    public string RightsSweepSchedule { get; set; } = DefaultRightsSweepSchedule;

    /// <summary>
    /// The longest an async projection (the reserve) waits to be restarted after a transient failure paused it (a
    /// failover, a starved pool): Wolverine waits its health-check interval, doubled for every further failure, up to
    /// this ceiling. Its own default, five minutes, could leave the reserve behind that long after a failover.
    /// </summary>
    public TimeSpan ProjectionRestartMaxBackoff { get; set; } = DefaultProjectionRestartMaxBackoff;

    public static readonly TimeSpan DefaultProjectionRestartMaxBackoff = TimeSpan.FromSeconds(30);

    public const string DefaultLapseSweepSchedule = "30 0 * * *";
    public const string DefaultRightsSweepSchedule = "5 0 * * *";
    public const string DefaultDigestSchedule = "45 0 * * *";
    public const string DefaultDigestCatchUpSchedule = "15 * * * *";

    /// <summary>The banks that seed the <c>partner-banks</c> stream at first start; none: the SPEC's
    /// examples.</summary>
    public BankSetting[]? PartnerBanks { get; set; }

    public sealed class BankSetting
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string[]? Bics { get; set; }

        /// <summary>The regime's accounts at the bank (IBAN or the bank's own id) its statements are about.</summary>
        public string[]? Accounts { get; set; }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();

    /// <summary>What is wrong with these settings, each naming its setting; nothing when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (!RoleName().IsMatch(ApplicationRole ?? ""))
            yield return $"Ledger:ApplicationRole '{ApplicationRole}' is not a plain PostgreSQL role name "
                + "(lower-case letters, digits, _).";
        var signing = KeyProblem("Ledger:DigestSigningKey", DigestSigningKey, DigestSignature.FromPrivateKeyPem);
        if (signing is not null)
            yield return signing;
        if (KeyProblem("Ledger:DigestPublicKey", DigestPublicKey, DigestSignature.FromPublicKeyPem) is { } verifying)
            yield return verifying;
        // With both, the signing key's own public key is the one used: another one given beside it was ignored.
        else if (
            signing is null
            && !string.IsNullOrWhiteSpace(DigestSigningKey)
            && !string.IsNullOrWhiteSpace(DigestPublicKey)
            && DigestSignature.FromPrivateKeyPem(DigestSigningKey).KeyId
                != DigestSignature.FromPublicKeyPem(DigestPublicKey).KeyId
        )
            yield return "Ledger:DigestPublicKey is not the public key of Ledger:DigestSigningKey (give one of them, "
                + "or the pair).";
        foreach (
            var (setting, cron) in new[]
            {
                ("LapseSweepSchedule", LapseSweepSchedule),
                ("DigestSchedule", DigestSchedule),
                ("DigestCatchUpSchedule", DigestCatchUpSchedule),
                ("RightsSweepSchedule", RightsSweepSchedule),
            }
        )
            if (!Wolverine.CronSchedule.TryParse(cron ?? "", Salex.Ledger.Calendar.ElSalvador.SystemTimeZone, out _))
                yield return $"Ledger:{setting} '{cron}' is not a cron expression (e.g. \"30 0 * * *\": 00:30 every day).";
        if (
            ProjectionRestartMaxBackoff < TimeSpan.FromSeconds(1)
            || ProjectionRestartMaxBackoff > TimeSpan.FromHours(1)
        )
            yield return $"Ledger:ProjectionRestartMaxBackoff ({ProjectionRestartMaxBackoff}) must be from 1 second to 1 hour.";
        if (DigestArchive is { } folder && folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            yield return "Ledger:DigestArchive is not a folder path.";
        // A shell expands '~', .NET does not: '~/x' was a folder named '~' in the application's directory.
        else if (DigestArchive is { } home && home.TrimStart().StartsWith('~'))
            yield return $"Ledger:DigestArchive '{home}' starts with '~', which is not expanded here: give the folder's full path.";
        var registry = Ledger.Banks.PartnerBanks.Empty;
        foreach (var (bank, i) in (PartnerBanks ?? []).Select((b, i) => (b, i)))
        {
            var registration = new PartnerBankRegistered(
                Ledger.Banks.PartnerBanks.Normalize(bank.Code ?? ""),
                bank.Name ?? "",
                bank.Bics ?? [],
                [.. (bank.Accounts ?? []).Select(Ledger.Banks.PartnerBanks.NormalizeAccount)]
            );
            var refusals = registry.Check(registration);
            foreach (var refusal in refusals)
                yield return $"Ledger:PartnerBanks:{i}:{refusal.Field}: {refusal.Reason}";
            if (refusals.Count == 0)
                registry = registry.After(registration);
        }
    }

    /// <summary>
    /// The folder where the digests are archived, or null for none: <c>Ledger:DigestArchive</c>, a relative path taken
    /// from the content root (the application's directory, <see cref="ContentRoot"/>), never from the working
    /// directory; in Development, when it is not set, the repository's <c>.digests</c>
    /// (<see cref="ContentRoot.DevelopmentDigestArchive"/>).
    /// </summary>
    public string? DigestArchiveFolder(IHostEnvironment environment) =>
        !string.IsNullOrWhiteSpace(DigestArchive) ? Path.GetFullPath(DigestArchive, environment.ContentRootPath)
        : environment.IsDevelopment() ? ContentRoot.DevelopmentDigestArchive(environment.ContentRootPath)
        : null;

    /// <summary>The archive folder is a file (every digest then answered 500, after it was recorded); checked where the
    /// content root is known, with the rest before anything starts.</summary>
    public string? DigestArchiveProblem(IHostEnvironment environment)
    {
        if (DigestArchive is { } given && given.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            return null; // named by Problems()
        var folder = DigestArchiveFolder(environment);
        if (folder is null || !File.Exists(folder))
            return null;
        var named =
            string.IsNullOrWhiteSpace(DigestArchive) ? $"(not set: Development's default {folder})"
            : Path.IsPathFullyQualified(DigestArchive) ? $"'{DigestArchive}'"
            : $"'{DigestArchive}' ({folder})";
        return $"Ledger:DigestArchive {named} is a file, not a folder.";
    }

    private static string? KeyProblem(string setting, string? pem, Func<string, DigestSignature> read)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return null;
        try
        {
            read(pem);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return $"{setting} is not an ECDSA P-256 key in PEM: {e.Message}";
        }
    }
}
