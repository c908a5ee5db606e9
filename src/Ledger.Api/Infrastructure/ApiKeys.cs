using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>The roles of SPEC §4. Each API key holds exactly one.</summary>
public static class Roles
{
    public const string Enrolment = "enrolment";
    public const string Finance = "finance";
    public const string Auditor = "auditor";
    public const string RightsReader = "rights-reader";
    public const string Admin = "admin";
    /// <summary>May change the regime's policy (the rate schedule), nothing else.</summary>
    public const string PolicyAdmin = "policy-admin";

    public static readonly string[] All = [Enrolment, Finance, Auditor, RightsReader, Admin, PolicyAdmin];

    // Combinations used by [Authorize(Roles = ...)]; admin may do everything.
    public const string ReadAccounts = $"{Enrolment},{Finance},{Auditor},{Admin}";
    public const string ReadArrears = $"{Finance},{Auditor},{Admin}";
    public const string ReadRights = $"{RightsReader},{Enrolment},{Finance},{Auditor},{Admin}";
    public const string Enrol = $"{Enrolment},{Admin}";
    public const string RecordPayments = $"{Finance},{Admin}";
    public const string ReadReconciliation = $"{Finance},{Auditor},{Admin}";
    public const string Audit = $"{Auditor},{Admin}";
    public const string ReadReserve = $"{Finance},{Auditor},{Admin}";
    public const string ManageRates = $"{PolicyAdmin},{Admin}";
    public const string ReadRates = $"{RightsReader},{Enrolment},{Finance},{Auditor},{Admin},{PolicyAdmin}";
}

/// <summary>A configured key: its SHA-256 (hex) and its role. Keys themselves are never stored.</summary>
public sealed record ApiKeyEntry(string Name, string Role, string Sha256);

/// <summary>
/// The keys the service accepts. From configuration (<c>Auth:ApiKeys</c>, hashed); in Development
/// only, also the well-known keys <c>dev-enrolment</c>, <c>dev-finance</c>, <c>dev-auditor</c>,
/// <c>dev-rights-reader</c>, <c>dev-admin</c> and <c>dev-policy-admin</c>.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<(byte[] Hash, ApiKeyEntry Entry)> _keys;

    public ApiKeyRegistry(IEnumerable<ApiKeyEntry> entries)
    {
        _keys = entries
            .Where(e => Roles.All.Contains(e.Role) && !string.IsNullOrWhiteSpace(e.Sha256))
            .Select(e => (Convert.FromHexString(e.Sha256.Trim()), e))
            .ToArray();
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static ApiKeyRegistry From(Settings.AuthSettings settings, bool isDevelopment)
    {
        var entries = settings.ApiKeys.ToList();
        if (isDevelopment)
            entries.AddRange(Roles.All.Select(role => new ApiKeyEntry($"dev-{role}", role, HashOf($"dev-{role}"))));
        return new ApiKeyRegistry(entries);
    }

    public ApiKeyEntry? Find(string presentedKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        foreach (var (known, entry) in _keys)
            if (CryptographicOperations.FixedTimeEquals(known, hash)) return entry;
        return null;
    }
}

/// <summary>Authenticates the <c>X-Api-Key</c> header; 401 and 403 answer as problem details.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
            return Task.FromResult(AuthenticateResult.NoResult());
        var entry = registry.Find(values.ToString());
        if (entry is null) return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role)], Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status401Unauthorized, "Unauthorized",
            $"A valid API key is required in the {Header} header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "Forbidden",
            $"The role '{Context.User.FindFirstValue(ClaimTypes.Role)}' may not call this route.");

    private Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(Context);
    }
}
