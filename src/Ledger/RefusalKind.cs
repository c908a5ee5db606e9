namespace Salex.Ledger;

/// <summary>Why a refusal happened, which the HTTP edge turns into 400, 404, 409 or 422.</summary>
public enum RefusalKind
{
    Invalid,
    NotFound,
    Conflict,
    Unprocessable,
}
