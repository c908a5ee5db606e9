using System.Text.Json;

namespace Salex.Ledger.Api.Features.Auditing;

public sealed record HistoryEntry(
    long Version,
    long Sequence,
    string Type,
    JsonElement Data,
    DateTimeOffset RecordedAt,
    EventMetadata Metadata
);
