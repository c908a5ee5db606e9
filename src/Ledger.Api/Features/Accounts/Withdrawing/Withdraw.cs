using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.Withdrawing;

/// <summary>Voluntary withdrawal (darse de baja): <see cref="EffectiveOn"/> is the first day without coverage.</summary>
public sealed record Withdraw(string AffiliationNumber, LocalDate EffectiveOn) : IAccountCommand;
