namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>One way a stored read model differs from the one recomputed from the events.</summary>
public sealed record ProjectionDifference(string ReadModel, string Id, string Path, string? Stored, string? Recomputed)
{
    public override string ToString() =>
        $"{ReadModel} {Id} {Path}: stored {Stored ?? "(none)"}, recomputed {Recomputed ?? "(none)"}";
}
