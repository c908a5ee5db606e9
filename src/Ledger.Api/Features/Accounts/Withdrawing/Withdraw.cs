using NodaTime;

namespace Salex.Ledger.Api.Features.Accounts.Withdrawing;

/// <summary>Voluntary withdrawal (darse de baja): <see cref="EffectiveOn"/> is the first day without
/// coverage.</summary>
public sealed record Withdraw(string AffiliationNumber, LocalDate EffectiveOn) : IAccountCommand;
