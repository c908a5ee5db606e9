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

namespace Salex.Ledger.Api.Features.Accounts.Returning;

/// <summary>
/// The insured returned to El Salvador on <see cref="ReturnedOn"/> (SPEC: six more months of coverage if paid).
/// </summary>
public sealed record RecordReturn(string AffiliationNumber, LocalDate ReturnedOn) : IAccountCommand;
