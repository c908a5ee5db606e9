namespace Salex.Ledger.Api.Features;

public sealed record HealthReport(string Status, string Database, string? Reason);
