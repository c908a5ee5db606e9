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
}
