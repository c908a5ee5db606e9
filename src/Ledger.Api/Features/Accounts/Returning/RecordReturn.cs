using NodaTime;

namespace Salex.Ledger.Api.Features.Accounts.Returning;

/// <summary>
/// The insured returned to El Salvador on <see cref="ReturnedOn"/> (SPEC: six more months of coverage if paid).
/// </summary>
public sealed record RecordReturn(string AffiliationNumber, LocalDate ReturnedOn) : IAccountCommand;
