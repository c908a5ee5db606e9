using System.Text;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Salex.Ledger.Accounts;
using Salex.Ledger.Contributions;
using Salex.Ledger.Enrolment;
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
        AllowDuplicateProperties = false,
    };

    /// <summary>The ledger's own options, strict: a field the event does not have, a field given twice, a required one
    /// missing or null where the event cannot hold null, refuse the line instead of being dropped or defaulted.</summary>
    private static readonly JsonSerializerOptions Data = new(LedgerSerializer.Json)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly Dictionary<string, Type> _types = store
        .Options.Events.AllKnownEventTypes()
        .ToDictionary(t => t.EventTypeName, t => t.EventType, StringComparer.Ordinal);

    private Marten.Events.EventGraph Graph => (Marten.Events.EventGraph)((StoreOptions)store.Options).Events;

    /// <summary>What the first pass found: the accounts and events of the lines accepted, the number of lines refused and
    /// the first of them in words.</summary>
    public sealed record Checked(int Accounts, long Events, int Refused, IReadOnlyList<string> Shown, long Bytes);

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
            if ((line.Problem ?? Replay(line.Stream!) ?? Across(line.Number, line.Stream!)) is { } problem)
            {
                if (++refused <= shown)
                    problems.Add($"line {line.Number}: {problem}");
                continue;
            }
            accounts++;
            events += line.Stream!.Events.Count;
        }
        return new Checked(accounts, events, refused, problems, _bytesRead);

        // The load derives the receipts by replaying the account (HistoryReceipts): what it cannot replay is refused here,
        // not halfway through the load. The default regime: only the due dates written in the answers depend on it.
        static string? Replay(StreamAction stream)
        {
            try
            {
                HistoryReceipts.Of(stream.Key!, stream.Events.Select(e => e.Data), Regime.Default);
                return null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"its events cannot be replayed by the ledger's rules ({e.GetType().Name}: {e.Message})";
            }
        }

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

    private long _bytesRead;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Every non-blank line of the file, in order. Each line is decoded as strict UTF-8 on its own: bytes that
    /// are not UTF-8 refuse their line instead of becoming U+FFFD in a name.</summary>
    public IEnumerable<Line> Read(string path)
    {
        _bytesRead = 0;
        using var file = new BufferedStream(File.OpenRead(path), 1 << 16);
        var bytes = new MemoryStream();
        var number = 0;
        for (var b = file.ReadByte(); ; b = file.ReadByte())
        {
            if (b != -1)
                _bytesRead++;
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

    /// <summary>
    /// What the ledger could not have recorded: an affiliation number not of its format, a DUI not well formed or changing
    /// between enrolments, a bank code or reference the payments API would have written otherwise (upper case, trimmed,
    /// within its limits), a channel it does not know, money below zero or in fractions of a cent, a time out of range.
    /// </summary>
    private static string? ProblemOf(string number, string dui, object[] data, List<EventLine?> events)
    {
        if (!AffiliationNumber.IsWellFormed(number) || number.Length > 18)
            return $"'{number}' is not an affiliation number of this ledger (digits ending in their check digit)";
        if (Dui.Problem(dui) is { } duiProblem)
            return $"the enrolment's DUI: {duiProblem}";
        for (var i = 0; i < data.Length; i++)
        {
            var at = $"event {i + 1}: ";
            if (data[i] is Enrolled again && (again.AffiliationNumber != number || again.Dui != dui))
                return at + "an enrolment of another account number or DUI";
            if (HistoryReceipts.SourceOf(data[i]) is { } source && SourceProblem(source) is { } sourceProblem)
                return at + sourceProblem;
            if (Amounts(data[i]).FirstOrDefault(a => a < 0m || decimal.Round(a, 2) != a) is var amount && amount != 0m)
                return at + $"the amount {amount} is below zero or not in whole cents";
            if (
                events[i]!.RecordedAt is { } recorded
                && (recorded.Year < 1900 || recorded > DateTimeOffset.UtcNow.AddDays(1))
            )
                return at + $"'recordedAt' {recorded:O} is before 1900 or in the future";
        }
        return null;
    }

    private static string? SourceProblem(PaymentSource source)
    {
        if (string.IsNullOrWhiteSpace(source.BankCode) || source.BankCode != source.BankCode.Trim().ToUpperInvariant())
            return $"the bank code '{source.BankCode}' is not as the payments API records it (upper case, no spaces around)";
        if (string.IsNullOrWhiteSpace(source.Reference) || source.Reference != source.Reference.Trim())
            return $"the reference '{source.Reference}' is not as the payments API records it (no spaces around)";
        if (
            (
                Limits.TextProblem(source.BankCode, Limits.Code)
                ?? Limits.TextProblem(source.Reference, Limits.Reference)
            ) is
            { } text
        )
            return $"the bank code or reference: {text}";
        if (RecordPayment.ChannelOf(source.Channel) is null)
            return $"the channel '{source.Channel}' is not one of this ledger's";
        return null;
    }

    private static IEnumerable<decimal> Amounts(object e) =>
        e switch
        {
            ContributionPaid c => Of(c.Periods),
            AdvancePaid a => Of(a.Periods),
            CreditRecorded c => [c.Amount],
            CreditApplied c => [c.Amount],
            RefundDue r => [r.Amount, .. Of(r.Periods)],
            _ => [],
        };

    // A null period is left to the replay, which refuses it.
    private static IEnumerable<decimal> Of(IEnumerable<PeriodPayment?> periods) =>
        periods.OfType<PeriodPayment>().SelectMany(p => new[] { p.Base, p.Surcharge });

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
                data[i] = e.Data.Deserialize(type, Data)!;
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
        if (ProblemOf(line.AffiliationNumber, enrolled.Dui, data, events) is { } problem)
            return new(number, null, problem);

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
