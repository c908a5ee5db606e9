namespace Salex.Ledger;

/// <summary>A command refused by a rule: the field at fault and the reason, in words a caller can act on.</summary>
public sealed record Refusal(RefusalKind Kind, string Field, string Reason)
{
    public static Refusal Invalid(string field, string reason) => new(RefusalKind.Invalid, field, reason);

    public static Refusal Unprocessable(string field, string reason) => new(RefusalKind.Unprocessable, field, reason);

    public static Refusal Conflict(string field, string reason) => new(RefusalKind.Conflict, field, reason);
}
