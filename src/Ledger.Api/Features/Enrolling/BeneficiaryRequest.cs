using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Enrolment;
using Salex.Projections;
using Salex.Projections.Accounts;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Enrolling;

public sealed record BeneficiaryRequest(string? FullName, string? BirthDate, string? Relationship);
