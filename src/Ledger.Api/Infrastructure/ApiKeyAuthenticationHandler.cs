using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>Authenticates the <c>X-Api-Key</c> header; 401 and 403 answer as problem details.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
            return Task.FromResult(AuthenticateResult.NoResult());
        var entry = registry.Find(values.ToString());
        if (entry is null)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role)],
            Scheme
        );
        return Task.FromResult(
            AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme))
        );
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(
            StatusCodes.Status401Unauthorized,
            "Unauthorized",
            $"A valid API key is required in the {Header} header."
        );

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(
            StatusCodes.Status403Forbidden,
            "Forbidden",
            $"The role '{Context.User.FindFirstValue(ClaimTypes.Role)}' may not call this route."
        );

    // The key is the field at fault, as for any other bad input.
    private Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Results
            .ValidationProblem(
                new Dictionary<string, string[]> { [Header] = [detail] },
                detail: detail,
                title: title,
                statusCode: status
            )
            .ExecuteAsync(Context);
    }
}
