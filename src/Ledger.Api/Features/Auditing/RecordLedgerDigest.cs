using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Npgsql;
using Salex.Ledger.Api.Infrastructure;
using Salex.Ledger.Calendar;
using Salex.Ledger.Integrity;
using Salex.Projections.Integrity;
using Wolverine.Http;

namespace Salex.Ledger.Api.Features.Auditing;

/// <summary>The daily message that records the ledger's digest (scheduled by Wolverine, like the lapse sweep).</summary>
public sealed record RecordLedgerDigest;
