using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Salex.Ledger.Accounts;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Lifecycle;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Lapsing;

/// <summary>The daily message that records the lapses due (scheduled by Wolverine, durable across restarts).</summary>
public sealed record SweepLapses;
