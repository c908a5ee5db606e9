using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace Salex.Ledger.Api.Infrastructure;

/// <summary>
/// Turns the failures that are not the ledger's fault into the status a caller can act on, as problem details:
/// a body past its route's limit is 413 (Kestrel's <see cref="BadHttpRequestException"/>, and its other 4xx
/// keep their status), a command that lost every version race is 409, an unreachable or overloaded database is 503 with
/// <c>Retry-After</c>, and so is a database the ledger is misconfigured for: without its tables, missing, refusing its
/// credentials or its rights (logged as an error: the operator must act). Anything else is left to the default handler
/// (500).
/// </summary>
public sealed class Failures(ILogger<Failures> log) : IExceptionHandler
{
    /// <summary>What a caller is told to wait before retrying when the database cannot be reached.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        IResult? answer = null;
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            answer = Results.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["body"] = [$"The body is larger than this route accepts ({limit:N0} bytes)."],
                },
                title: "The request body is too large",
                statusCode: StatusCodes.Status413PayloadTooLarge
            );
        }
        else if (Conflicts.IsLostRace(exception))
            answer = Conflicts.Answer; // every retry lost its race (see Conflicts.RetryLostRaces)
        else if (exception is BadHttpRequestException bad)
            answer = Results.Problem(
                title: "The request cannot be read",
                detail: bad.Message,
                statusCode: bad.StatusCode
            );
        else if (IsMisconfigured(exception) is var misconfigured && (misconfigured || IsDatabaseUnavailable(exception)))
        {
            // A database the ledger is misconfigured for (often the reads' standby named by
            // ConnectionStrings:LedgerReads: not yet migrated, misnamed, another password) is not the caller's fault
            // either, but only the operator can end it: an error.
            log.Log(
                misconfigured ? LogLevel.Error : LogLevel.Warning,
                exception,
                "{Cause}: answered 503 to {Method} {Path}",
                misconfigured
                    ? "The database refuses the ledger's configuration: a missing database or table (was db-apply run on it?), credentials or rights"
                    : "The database is unavailable",
                context.Request.Method,
                context.Request.Path
            );
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
            answer = Unavailable;
        }
        if (answer is null)
            return false;
        await answer.ExecuteAsync(context);
        return true;
    }

    /// <summary>The answer while the database cannot be reached (it names no host, port or driver message).</summary>
    public static IResult Unavailable { get; } =
        Results.Problem(
            title: "The ledger's database is unavailable",
            detail: $"The database cannot be reached or is overloaded; retry in {RetryAfterSeconds} seconds.",
            statusCode: StatusCodes.Status503ServiceUnavailable
        );

    /// <summary>
    /// True when the exception, or one it wraps, is PostgreSQL refusing the ledger's configuration rather than a
    /// request: a table or schema of the ledger that does not exist (42P01, 3F000: the schema was not applied), a
    /// database that does not exist (3D000), credentials refused (28P01, 28000), rights not granted (42501).
    /// </summary>
    public static bool IsMisconfigured(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (
                e is PostgresException
                {
                    SqlState: PostgresErrorCodes.UndefinedTable
                        or PostgresErrorCodes.InvalidSchemaName
                        or PostgresErrorCodes.InvalidCatalogName
                        or PostgresErrorCodes.InvalidPassword
                        or PostgresErrorCodes.InvalidAuthorizationSpecification
                        or PostgresErrorCodes.InsufficientPrivilege
                }
            )
                return true;
        return false;
    }

    /// <summary>
    /// True when the exception, or one it wraps (Marten and Wolverine wrap Npgsql's), says the database could not
    /// be reached or could not take the work: refused or broken connections, timeouts, an exhausted pool, a server
    /// shutting down or out of connections. Npgsql calls these transient: the same request may succeed later.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or SocketException)
                return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDatabaseUnavailable))
                return true;
        }
        return false;
    }
}
