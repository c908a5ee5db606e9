using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Features.Accounts;
using Salex.Ledger.Api.Features.AsKnownAt;
using Salex.Ledger.Api.Features.CheckingRights;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Api.Infrastructure.OpenApi;
using Salex.Ledger.Calendar;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>What auditors replay: every event as stored, and the account as the ledger knew it at a past
/// instant.</summary>
public static class HistoryEndpoints
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    [WolverineGet("/api/insured/{affiliationNumber}/history", OperationId = "getHistory")]
    [Tags(ApiAreas.Audit)]
    [EndpointSummary("Every event of an account, in order, a page at a time")]
    [ProducesCsv]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<HistoryPage>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> History(
        string affiliationNumber,
        int? page,
        int? pageSize,
        HttpRequest request,
        IDocumentStore store,
        IQuerySession session,
        CancellationToken ct
    )
    {
        var wire = new Wire();
        var number = wire.Page("page", page);
        var size = wire.PageSize("pageSize", pageSize, DefaultPageSize, MaxPageSize, "events");
        if (wire.Refusals.Count > 0)
            return Problems.From(wire.Refusals);
        var events = await session.Events.FetchStreamAsync(affiliationNumber, token: ct);
        if (events.Count == 0)
            return Problems.UnknownAccount(affiliationNumber);

        var serializer = store.Options.Serializer();
        // The spreadsheet export is the whole history, one row per event, the data as its JSON text.
        if (Csv.Wants(request))
            return Csv.Result(
                $"history-{affiliationNumber}.csv",
                ["version", "sequence", "type", "recordedAt", "recordedBy", "correlationId", "causationId", "data"],
                events.Select(e =>
                    new object?[]
                    {
                        e.Version,
                        e.Sequence,
                        e.EventTypeName,
                        e.Timestamp,
                        e.UserName,
                        e.CorrelationId,
                        e.CausationId,
                        PlainJson.Of(serializer.ToJson(e.Data)),
                    }
                )
            );
        var entries = events
            .Skip((int)Math.Min((long)(number - 1) * size, events.Count))
            .Take(size)
            .Select(e => new HistoryEntry(
                e.Version,
                e.Sequence,
                e.EventTypeName,
                JsonDocument.Parse(serializer.ToJson(e.Data)).RootElement.Clone(),
                e.Timestamp,
                new EventMetadata(e.UserName, e.CorrelationId, e.CausationId, e.Headers)
            ))
            .ToList();
        return Results.Ok(new HistoryPage(affiliationNumber, number, size, events.Count, entries));
    }

    /// <summary>
    /// The account as the ledger knew it at an instant (<c>asOf</c>, ISO 8601 with offset) or at a stream
    /// version, with its rights on the business date <c>on</c> (default: the date of <c>asOf</c> in El Salvador).
    /// </summary>
    [WolverineGet("/api/insured/{affiliationNumber}/state", OperationId = "getAccountState")]
    [Tags(ApiAreas.Audit)]
    [EndpointSummary("The account and its rights as the ledger knew them at an instant or a version")]
    [Authorize(Roles = Roles.Audit)]
    [ProducesResponseType<AccountState>(200)]
    [ProducesResponseType<HttpValidationProblemDetails>(400)]
    [ProducesResponseType<HttpValidationProblemDetails>(404)]
    public static async Task<IResult> State(
        string affiliationNumber,
        string? asOf,
        long? version,
        string? on,
        IQuerySession session,
        IClock clock,
        Regime regime,
        CancellationToken ct
    )
    {
        if (!Wire.TryInstantOrNow(asOf, out var instant))
            return Problems.BadInstant("asOf", asOf);
        if (version is < 1)
            return Problems.Invalid("version", "Stream versions are numbered from 1.");
        var defaultDate = ElSalvador.DateOf(instant ?? clock.GetCurrentInstant());
        LocalDate date = defaultDate;
        if (!string.IsNullOrWhiteSpace(on) && !Wire.TryDate(on, out date))
            return Problems.BadDate("on", on);

        var account = await AsKnown.AccountAsync(session, affiliationNumber, instant, version, ct);
        if (account is null)
            return Problems.NotFound(
                "affiliationNumber",
                "No insured person had this affiliation number at that point."
            );
        // The stream read up to a version past its end is the whole stream: that version was never recorded.
        if (version > account.Version)
            return Problems.NotFound(
                "version",
                $"The account's stream has only {account.Version} version{(account.Version == 1 ? "" : "s")}"
                    + (instant is null ? "" : $" as known at {instant}")
                    + $"; version {version} was never recorded."
            );
        regime = await AsKnown.RegimeAsync(session, regime, instant, ct);
        return Results.Ok(
            new AccountState(
                affiliationNumber,
                instant?.ToString(),
                account.Version,
                Dates.Format(date),
                AccountSummary.Of(account, date, regime),
                RightsAnswer.Of(account, date, regime)
            )
        );
    }
}
