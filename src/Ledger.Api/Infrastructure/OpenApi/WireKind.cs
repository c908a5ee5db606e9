namespace Salex.Ledger.Api.Infrastructure.OpenApi;

/// <summary>What a text or number on the wire is, for the OpenAPI document (SPEC §4: dates yyyy-MM-dd, periods
/// yyyy-MM, money a number with two decimals).</summary>
public enum WireKind
{
    Text,
    Date,
    Period,
    Instant,
    AffiliationNumber,
    Dui,
    Money,
    Rate,

    /// <summary>A GUID taken as text (so that a malformed one is answered as problem details): <c>format:
    /// uuid</c>.</summary>
    Uuid,

    /// <summary>A year taken as text (so that a malformed one is answered as problem details): an integer from
    /// <see cref="Limits.FirstYear"/> to <see cref="Limits.LastYear"/>.</summary>
    Year,
}
