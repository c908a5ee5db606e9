using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Enrolment;
using Salex.Ledger.Lifecycle;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Salex.Ledger.Api.Features.Accounts.ChangingFamilyGroup;

public sealed record BeneficiaryRequest(string? FullName, string? BirthDate, string? Relationship, string? EffectiveOn);
