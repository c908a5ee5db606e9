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

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

/// <summary>
/// A beneficiary leaves the family group from <see cref="EffectiveOn"/> (today when the request names no date).
/// </summary>
public sealed record RemoveBeneficiary(string AffiliationNumber, Guid BeneficiaryId, LocalDate? EffectiveOn)
    : IAccountCommand;
