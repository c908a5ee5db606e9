using System.Text.Json;
using JasperFx.Events;
using Marten;
using Salex.Ledger.Accounts;
using Salex.Projections;

namespace Salex.Ledger.Api.Features.Migrating;

/// <summary>
/// A history file for <c>import-history</c> (README "Loading a history"): JSON Lines, one account a line,
/// <c>{"affiliationNumber": "…", "events": [{"type": "enrolled", "data": {…}, "recordedAt": "…", "recordedBy": "…",
/// "correlationId": "…"}, …]}</c>. The type is the event's name as the history API shows it; the data is the event as
/// the ledger stores it; the metadata is optional. Each line is read whole and checked before anything is loaded: its
/// JSON, an account number, events of known types whose data reads as their type, the first one the account's
/// enrolment, and no NUL character (PostgreSQL cannot store one).
/// </summary>
public sealed partial class HistoryFile(IDocumentStore store)
{
    /// <summary>A JSON escape of U+0000 (<c>\u0000</c> not itself escaped).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\\)(\\\\)*\\u0000")]
    private static partial System.Text.RegularExpressions.Regex EscapedNul();

    /// <summary>One line read: the account's stream, or why the line cannot be loaded.</summary>
    public sealed record Line(int Number, StreamAction? Stream, string? Problem);

    private sealed record AccountLine(string? AffiliationNumber, List<EventLine?>? Events);

    private sealed record EventLine(
        string? Type,
        JsonElement Data,
        DateTimeOffset? RecordedAt,
        string? RecordedBy,
        string? CorrelationId
    );

    private static readonly JsonSerializerOptions Lines = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, Type> _types = store
        .Options.Events.AllKnownEventTypes()
        .ToDictionary(t => t.EventTypeName, t => t.EventType, StringComparer.Ordinal);

    private Marten.Events.EventGraph Graph => (Marten.Events.EventGraph)((StoreOptions)store.Options).Events;

    /// <summary>Every non-blank line of the file, in order.</summary>
    public IEnumerable<Line> Read(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(text))
                yield return Parse(number, text);
        }
    }

    public Line Parse(int number, string text)
    {
        if (text.Contains('\0') || EscapedNul().IsMatch(text))
            return new(number, null, "it contains a NUL character, which the ledger's database cannot store");
        AccountLine? line;
        try
        {
            line = JsonSerializer.Deserialize<AccountLine>(text, Lines);
        }
        catch (JsonException e)
        {
            return new(number, null, $"it is not an account's history in JSON ({e.Message})");
        }
        if (string.IsNullOrWhiteSpace(line?.AffiliationNumber))
            return new(number, null, "'affiliationNumber' is missing");
        if (line.Events is not { Count: > 0 } events)
            return new(number, null, "'events' is missing or empty");

        var data = new object[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e?.Type is null || !_types.TryGetValue(e.Type, out var type))
                return new(number, null, $"event {i + 1}: unknown type '{e?.Type}'");
            try
            {
                data[i] = e.Data.Deserialize(type, LedgerSerializer.Json)!;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
            {
                return new(number, null, $"event {i + 1}: its data does not read as '{e.Type}' ({ex.Message})");
            }
            if (data[i] is null)
                return new(number, null, $"event {i + 1}: its data is missing");
        }
        if (data[0] is not Enrolled enrolled || enrolled.AffiliationNumber != line.AffiliationNumber)
            return new(number, null, $"the first event must be the enrolment of {line.AffiliationNumber}");

        var stream = StreamAction.Start(Graph, line.AffiliationNumber, data);
        stream.AggregateType = typeof(Account);
        for (var i = 0; i < events.Count; i++)
        {
            var (e, recorded) = (events[i]!, stream.Events[i]);
            if (e.RecordedAt is { } at)
                recorded.Timestamp = at;
            recorded.UserName = e.RecordedBy ?? "import-history";
            recorded.CorrelationId = e.CorrelationId;
        }
        return new(number, stream, null);
    }
}
