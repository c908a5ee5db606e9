using NodaTime;

namespace Salex.Projections.RightsChanges;

/// <summary>The last day the rights sweep has looked at, so that a sweep after days of downtime covers each
/// missed day.</summary>
public sealed record RightsSweepMark(string Id, LocalDate LastDay)
{
    public const string TheMark = "rights-sweep";
}
