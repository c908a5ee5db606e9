using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Contributions;
using Salex.Projections;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Rates;

public sealed record AddRateRequest(string? FirstPeriod, decimal? MinimumWage);
