namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// Names the wire format of a property whose name the convention (<see cref="WireFormats"/>) does not read, e.g.
/// <c>[property: WireFormat(WireKind.Date)] string From</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WireFormatAttribute(WireKind kind) : Attribute
{
    public WireKind Kind { get; } = kind;
}
