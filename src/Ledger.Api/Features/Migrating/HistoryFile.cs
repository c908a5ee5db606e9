using System.Text;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Salex.Ledger.Accounts;
using Salex.Projections;
using Salex.Projections.Payments;

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

    /// <summary>What the first pass found: the accounts and events of the lines accepted, the number of lines refused and
    /// the first of them in words.</summary>
    public sealed record Checked(int Accounts, long Events, int Refused, IReadOnlyList<string> Shown);

    /// <summary>
    /// Every line read and checked, nothing written: each line on its own (<see cref="Parse"/>), and across lines an
    /// account, a DUI and a bank transaction each on one line only (the load would refuse them too, but only when it
    /// reached them, after its earlier parts were written).
    /// </summary>
    public Checked Check(string path, int shown)
    {
        var (accounts, events, refused) = (0, 0L, 0);
        var problems = new List<string>();
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var duis = new Dictionary<string, int>(StringComparer.Ordinal);
        var transactions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Read(path))
        {
            if ((line.Problem ?? Across(line.Number, line.Stream!)) is { } problem)
            {
                if (++refused <= shown)
                    problems.Add($"line {line.Number}: {problem}");
                continue;
            }
            accounts++;
            events += line.Stream!.Events.Count;
        }
        return new Checked(accounts, events, refused, problems);

        string? Across(int number, StreamAction stream)
        {
            if (!numbers.Add(stream.Key!))
                return $"the account {stream.Key} has a line already";
            var dui = ((Enrolled)stream.Events[0].Data).Dui;
            if (!duis.TryAdd(dui, number))
                return $"the DUI {dui} is enrolled on line {duis[dui]} already";
            foreach (var e in stream.Events)
                if (HistoryReceipts.SourceOf(e.Data) is { } source)
                {
                    var key = PaymentReceipt.KeyOf(source.BankCode, source.Reference);
                    if (!transactions.TryAdd(key, stream.Key!) && transactions[key] != stream.Key)
                        return $"the bank transaction {key} holds money of account {transactions[key]} already";
                }
            return null;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Every non-blank line of the file, in order. Each line is decoded as strict UTF-8 on its own: bytes that
    /// are not UTF-8 refuse their line instead of becoming U+FFFD in a name.</summary>
    public IEnumerable<Line> Read(string path)
    {
        using var file = new BufferedStream(File.OpenRead(path), 1 << 16);
        var bytes = new MemoryStream();
        var number = 0;
        for (var b = file.ReadByte(); ; b = file.ReadByte())
        {
            if (b != '\n' && b != -1)
            {
                bytes.WriteByte((byte)b);
                continue;
            }
            if (b == -1 && bytes.Length == 0)
                yield break;
            number++;
            var span = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            if (number == 1 && span.StartsWith(Encoding.UTF8.Preamble))
                span = span[Encoding.UTF8.Preamble.Length..];
            if (span.EndsWith("\r"u8))
                span = span[..^1];
            string? text;
            try
            {
                text = StrictUtf8.GetString(span);
            }
            catch (DecoderFallbackException)
            {
                text = null;
            }
            bytes.SetLength(0);
            if (text is null)
                yield return new(number, null, "it is not UTF-8 text");
            else if (!string.IsNullOrWhiteSpace(text))
                yield return Parse(number, text);
            if (b == -1)
                yield break;
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
