namespace Salex.Ledger.Api.Features.Auditing;

public sealed record EventMetadata(
    string? RecordedBy,
    string? CorrelationId,
    string? CausationId,
    IReadOnlyDictionary<string, object>? Headers
);
